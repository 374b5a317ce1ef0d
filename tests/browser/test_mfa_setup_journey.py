"""An organiser without two-factor authentication opens a cohort's page from a link: sent to set it up, they scan
a QR code of a sensible size (or type the key shown under it), read their recovery codes, and "Continue" brings
them to the cohort's page they wanted. The set-up page on an Arabic phone keeps the key left to right."""

import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

from courses.permissions import ORGANISERS
from tests.browser.conftest import DESKTOP, PHONE, sign_in
from tests.factories import PASSWORD, CohortFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def roles(transactional_db):
    """A transactional test starts from a flushed database: the role groups the migrations made are gone."""
    from courses.roles import install_roles
    from participants.roles import grant_organiser_permissions

    install_roles()
    grant_organiser_permissions()


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def qr_fits(page) -> None:
    """The QR code is at most 240 px wide, square, centred in the form, and says what it is."""
    image = page.locator("main form img")
    box, form = image.bounding_box(), page.locator("main form").bounding_box()
    assert 100 <= box["width"] <= 240 and abs(box["height"] - box["width"]) < 1
    assert abs((box["x"] + box["width"] / 2) - (form["x"] + form["width"] / 2)) < 2
    assert image.get_attribute("alt") == "QR code to scan with your authenticator app"


def test_an_organiser_sets_up_two_factor_and_continues_to_the_cohort(live_server, browser, screenshot):
    cohort = CohortFactory()
    UserFactory(email="nadia@example.org", groups=[ORGANISERS])
    context = browser.new_context(viewport=DESKTOP, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    wanted = f"/en/organise/cohorts/{cohort.pk}/"
    page.goto(f"{live_server.url}/en/accounts/login/?next={wanted}")
    page.locator("input[name=login]").fill("nadia@example.org")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.get_by_role("heading", name="Activate Authenticator App").wait_for()
    qr_fits(page)
    screenshot(page, "mfa-activate-desktop-en")

    secret = page.locator("bdi[dir=ltr] #authenticator_secret").inner_text()
    page.get_by_label("Authenticator code").fill(current_code(secret))
    page.get_by_role("button", name="Activate").click()
    page.get_by_role("heading", name="Recovery Codes").wait_for()
    screenshot(page, "mfa-recovery-codes-desktop-en")
    page.get_by_role("link", name="Continue").click()
    page.get_by_role("heading", name=cohort.session.title).wait_for()
    assert page.url == live_server.url + wanted
    context.close()


def test_the_set_up_page_on_an_arabic_phone(live_server, browser, screenshot):
    UserFactory(email="omar@example.org", groups=[ORGANISERS])
    context = browser.new_context(viewport=PHONE, locale="ar")
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, live_server.url, "omar@example.org", language="ar", password=PASSWORD)
    page.goto(f"{live_server.url}/ar/accounts/2fa/totp/activate/")
    image = page.locator("main form img")
    image.wait_for()
    assert image.get_attribute("alt") not in ("", None, "QR code to scan with your authenticator app")
    box = image.bounding_box()
    assert box["width"] <= 240 and box["x"] >= 0
    assert len(page.locator("bdi[dir=ltr] #authenticator_secret").inner_text()) >= 16
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "mfa-activate-phone-ar")
    context.close()
