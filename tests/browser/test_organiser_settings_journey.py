"""An organiser raises a full cohort's capacity on its settings page and the waitlist moves up; the settings,
questionnaire timing and roles pages read in Arabic (right to left) and fit a 360 px phone."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.test import Client

from courses.permissions import ORGANISERS
from evaluations.services import attach_default_plan
from participants.models import Registration, RegistrationStatus
from participants.services import register
from tests.browser.conftest import DESKTOP, PHONE
from tests.factories import CohortFactory, UserFactory, person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signed_in(browser, live_server, user, viewport):
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport=viewport, locale="en-GB", bypass_csp=True)  # axe is an inline script
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def axe_violations(page) -> list[str]:
    from importlib.resources import files

    page.add_script_tag(content=(files("axe_playwright_python") / "axe.min.js").read_text())
    results = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", AXE_TAGS
    )
    return [f"{v['id']} at {v['nodes'][0]['target']}" for v in results["violations"]]


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_an_organiser_adds_seats_and_the_waitlist_moves_up(live_server, browser, screenshot):
    from courses.roles import install_roles
    from evaluations.defaults import install_default_instruments
    from participants.roles import grant_organiser_permissions

    # A transactional test starts from a flushed database: what the migrations made is gone.
    install_roles()
    grant_organiser_permissions()
    install_default_instruments()
    organiser = UserFactory(groups=[ORGANISERS])
    TOTP.activate(organiser, generate_totp_secret())
    UserFactory(email="trainer.journey@example.org", groups=["Trainers"])
    cohort = CohortFactory(capacity=30)
    for _ in range(18):
        register(cohort=cohort, user=person("government"))
    for _ in range(12):
        register(cohort=cohort, user=person("civil_society"))
    waiting = register(cohort=cohort, user=person("civil_society"))
    assert waiting.status == RegistrationStatus.WAITLISTED
    attach_default_plan(cohort=cohort)
    survey = cohort.surveys.get(instrument__slug="end-of-session")

    context, page = signed_in(browser, live_server, organiser, DESKTOP)
    page.goto(f"{live_server.url}/en/organise/cohorts/{cohort.pk}/")
    page.get_by_role("link", name="Settings").click()
    page.get_by_label("Capacity").fill("29")
    page.get_by_role("button", name="Save the settings").click()
    page.locator("#id_capacity_error").get_by_text("30 people are confirmed").wait_for()
    assert axe_violations(page) == []
    screenshot(page, "cohort-settings-error-desktop-en")
    page.get_by_label("Capacity").fill("31")
    page.get_by_role("button", name="Save the settings").click()
    page.get_by_text("1 person moved up from the waitlist and was told by email.").wait_for()
    assert Registration.objects.get(pk=waiting.pk).status == RegistrationStatus.CONFIRMED
    context.close()

    pages = {
        "cohort-settings": f"/organise/cohorts/{cohort.pk}/settings/",
        "survey-timing": f"/organise/surveys/{survey.pk}/timing/",
        "roles": "/organise/roles/",
    }
    for viewport_name, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        context, page = signed_in(browser, live_server, organiser, viewport)
        for language in ("en", "ar"):
            for name, path in pages.items():
                page.goto(f"{live_server.url}/{language}{path}")
                assert page.locator("h1").count() == 1
                if language == "ar":
                    assert page.locator("html").get_attribute("dir") == "rtl"
                assert fits(page), f"{name} in {language} overflows at {viewport_name}"
                assert axe_violations(page) == [], f"{name} in {language} at {viewport_name}"
                screenshot(page, f"{name}-{viewport_name}-{language}")
        context.close()
