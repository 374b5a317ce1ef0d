"""A trainer at the door, on a phone: finds a participant, taps while the network is down, and the tap is saved
when the network comes back."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from participants.models import Attendance, Cohort
from participants.services import check_in_url, session_today
from tests.browser.conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server):
    call_command("seed_demo", verbosity=0)
    return live_server.url


def sign_in(page, site, language="en"):
    page.goto(f"{site}/{language}/accounts/login/")
    page.locator("input[name=login]").fill("trainer@example.org")
    page.locator("input[name=password]").fill("demo-pass-2026")
    page.locator("main button[type=submit]").click()
    page.wait_for_url(re.compile(r"^(?!.*accounts/login).*$"))


def test_a_tap_made_offline_is_kept_and_saved_when_the_network_returns(site, browser, screenshot):
    cohort = Cohort.objects.get(session__slug="kuala-lumpur-running")
    context = browser.new_context(viewport=PHONE, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, site)

    page.goto(f"{site}/en/trainer/")
    page.get_by_role("heading", name="Running now").wait_for()
    page.get_by_role("link", name="Today").click()
    page.get_by_role("heading", name="Attendance", exact=True).wait_for()
    people = page.locator(".attendance-person")
    total = people.count()
    assert total == 30

    # Search without regard to case or accents.
    registration = cohort.registrations.select_related("user__profile").order_by("id").first()
    name = registration.user.profile.display_name
    page.get_by_label("Find a participant").fill(name.upper())
    assert page.locator(".attendance-person:visible").count() >= 1
    person = page.locator(f"#person-{registration.pk}")
    assert person.is_visible()
    screenshot(page, "attendance-search-phone-en")

    # The network is up but the server takes its time: the page says the tap is on its way, never that it is not
    # saved (the request is held until the page has been read, then let through).
    today = session_today(cohort.session)
    held = []
    page.route("**/attendance/record/", lambda route: held.append(route))
    page.evaluate("""() => {
        window.sawUnsaved = false;
        new MutationObserver(() => {
            if (document.body.innerText.includes("Not saved yet")) window.sawUnsaved = true;
        }).observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true});
    }""")
    person.get_by_role("button", name="Late").click()
    while not held:  # the tap's request has left the page and waits at the route
        page.wait_for_timeout(100)
    assert "Not saved yet" not in page.locator("main").inner_text()
    expect(page.locator("#attendance-progress")).to_have_text("Saving…", timeout=15_000)
    expect(person.locator(".attendance-note")).to_have_text("Saving…", timeout=15_000)
    held[0].continue_()
    person.get_by_text("Saved.").wait_for()
    expect(page.locator("#attendance-progress")).to_have_text("Saved.", timeout=15_000)
    page.unroute("**/attendance/record/")
    assert page.evaluate("window.sawUnsaved") is False
    assert Attendance.objects.get(registration=registration, date=today).status == "late"

    context.set_offline(True)
    person.get_by_role("button", name="Present").click()
    page.get_by_text(re.compile(r"Not saved yet: 1\.")).wait_for()
    assert person.get_by_role("button", name="Present").get_attribute("aria-pressed") == "true"
    screenshot(page, "attendance-offline-phone-en")
    assert Attendance.objects.get(registration=registration, date=today).status == "late"

    context.set_offline(False)
    person.get_by_text("Saved.").wait_for()
    assert page.locator("#attendance-pending").is_hidden()
    record = Attendance.objects.get(registration=registration, date=today)
    assert record.status == "present"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # The badge of another participant, scanned with the phone's camera: the link opens in the same browser.
    other = cohort.registrations.select_related("user__profile").order_by("id")[1]
    page.goto(site + check_in_url(other, language="en").split("8000", 1)[1])
    page.get_by_role("heading", name="Checked in").wait_for()
    screenshot(page, "check-in-phone-en")
    assert Attendance.objects.get(registration=other, date=today).status == "present"

    # The session pack, prepared in the background, then offered for download.
    page.goto(f"{site}/en/trainer/cohorts/{cohort.pk}/pack/")
    page.get_by_role("button", name="Prepare the session pack").click()
    page.get_by_role("link", name="Download the session pack (ZIP)").wait_for()
    screenshot(page, "session-pack-phone-en")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the session pack (ZIP)").click()
    assert download.value.suggested_filename == "kuala-lumpur-running-session-pack.zip"
    context.close()


def test_the_day_view_reads_right_to_left_in_arabic(site, browser, screenshot):
    context = browser.new_context(viewport=PHONE, locale="ar")
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, site, "ar")
    cohort = Cohort.objects.get(session__slug="kuala-lumpur-running")
    page.goto(f"{site}/ar/trainer/cohorts/{cohort.pk}/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.locator(".attendance-person").first.wait_for()
    screenshot(page, "attendance-day-phone-ar")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    context.close()
