"""A partner editor revises a curriculum module and submits it; the host's organiser approves and publishes it."""

import re
import time

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.contrib.auth import get_user_model
from django.core.management import call_command

from courses.models import ModulePage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
REVISED = "Referral between embassies and NGOs: shelters, legal aid and repatriation"


@pytest.fixture
def site(live_server):
    call_command("seed_demo", verbosity=0)
    return live_server.url


def sign_in(page, site, email, code_secret=None):
    page.goto(f"{site}/en/accounts/login/")
    page.get_by_role("textbox", name="Email").fill(email)
    page.get_by_role("textbox", name="Password").fill("demo-pass-2026")
    page.get_by_role("button", name="Sign In").click()
    if code_secret:
        page.locator("input[name=code]").fill(format_hotp_value(hotp_value(code_secret, int(time.time()) // 30)))
        page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(f"{site}/en/")


def test_partner_submits_a_module_and_the_organiser_approves_it(site, browser, screenshot):
    module = ModulePage.objects.get(slug="referral", locale__language_code="en")
    secret = generate_totp_secret()
    TOTP.activate(get_user_model().objects.get(email="organiser@example.org"), secret)

    partner = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(partner, site, "partner@example.org")
    partner.goto(f"{site}/cms/pages/{module.id}/edit/")
    partner.locator("#id_title").fill(REVISED)
    partner.get_by_role("button", name="More actions").click()
    partner.get_by_role("button", name="Submit to Partner review → Host approval").click()
    partner.get_by_text("has been submitted").first.wait_for()
    screenshot(partner, "cms-partner-submitted")
    assert ModulePage.objects.get(pk=module.pk).title != REVISED  # not live yet

    organiser = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(organiser, site, "organiser@example.org", code_secret=secret)
    for step in ("Partner review", "Host approval"):
        organiser.goto(f"{site}/cms/pages/{module.id}/edit/")
        screenshot(organiser, f"cms-organiser-{step.split()[0].lower()}-review")
        organiser.get_by_role("button", name="More actions").click()
        # The last step's button reads "Approve and Publish".
        organiser.get_by_role("button", name=re.compile(r"^Approve( and Publish)?$")).click()
        organiser.get_by_text(re.compile(r"has been (updated|published)")).first.wait_for()
    screenshot(organiser, "cms-organiser-approved")

    live = ModulePage.objects.get(pk=module.pk)
    assert live.title == REVISED and live.live
    public = browser.new_page()
    public.goto(f"{site}/en/programmes/migrant-workers-rights-asia/referral/")
    assert public.get_by_role("heading", level=1).inner_text() == REVISED


def test_the_editor_explains_an_agenda_day_outside_the_session(site, browser, screenshot):
    from courses.models import SessionPage

    session = SessionPage.objects.get(slug="amman-upcoming", locale__language_code="en")
    secret = generate_totp_secret()
    TOTP.activate(get_user_model().objects.get(email="organiser@example.org"), secret)
    organiser = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(organiser, site, "organiser@example.org", code_secret=secret)
    organiser.goto(f"{site}/cms/pages/{session.id}/edit/")
    later = session.start_date.toordinal() + 1
    import datetime

    organiser.locator("#id_start_date").fill(datetime.date.fromordinal(later).isoformat())
    organiser.locator("#id_end_date").fill(datetime.date.fromordinal(later + 4).isoformat())
    organiser.get_by_role("button", name="Save draft").click()
    message = f"The day {session.start_date:%Y-%m-%d} is outside the session's dates."
    organiser.get_by_text(message).wait_for()
    screenshot(organiser, "cms-agenda-error")
    assert organiser.locator("#id_start_date").input_value() == datetime.date.fromordinal(later).isoformat()
    assert SessionPage.objects.get(pk=session.pk).start_date == session.start_date
