"""First journeys in a real browser: sign up with email verification, sign in, switch to Arabic."""

import re

import pytest
from django.core.management import call_command

from tests.browser.conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server):
    # Transactional tests commit for real, so the live server thread sees the demo; each one starts
    # from a flushed database, which seed_demo rebuilds (Wagtail root, role groups) before the demo.
    call_command("seed_demo", verbosity=0)
    return live_server.url


def test_sign_up_verify_email_sign_out_and_sign_in_again(site, page, mailoutbox, screenshot):
    page.goto(f"{site}/en/")
    page.get_by_role("link", name="Create an account").first.click()
    page.get_by_role("textbox", name="Email").fill("lina.new@example.org")
    page.get_by_role("textbox", name="Password", exact=True).fill("a-strong-pass-2026")
    page.get_by_role("textbox", name="Password (again)").fill("a-strong-pass-2026")
    screenshot(page, "signup-desktop-en")
    page.get_by_role("button", name="Sign Up").click()

    page.get_by_role("heading", name="Verify Your Email Address").wait_for()
    assert len(mailoutbox) == 1
    link = re.search(r"http://\S+/confirm-email/\S+/", mailoutbox[0].body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()
    page.get_by_text("lina.new@example.org").first.wait_for()

    page.get_by_role("button", name=re.compile("lina.new@example.org")).click()
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("link", name="Sign in").first.wait_for()

    page.get_by_role("link", name="Sign in").first.click()
    page.get_by_role("textbox", name="Email").fill("lina.new@example.org")
    page.get_by_role("textbox", name="Password").fill("a-strong-pass-2026")
    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("button", name=re.compile("lina.new@example.org")).wait_for()
    assert page.url.endswith("/en/")


def test_a_wrong_password_is_explained_next_to_the_form(site, page):
    page.goto(f"{site}/en/accounts/login/")
    page.get_by_role("textbox", name="Email").fill("participant@example.org")
    page.get_by_role("textbox", name="Password").fill("not-the-password")
    page.get_by_role("button", name="Sign In").click()
    page.get_by_text("The email address and/or password you specified are not correct.").wait_for()
    assert page.get_by_role("textbox", name="Email").input_value() == "participant@example.org"


def test_switching_to_arabic_gives_a_right_to_left_page(site, page, screenshot):
    page.goto(f"{site}/en/programmes/")
    screenshot(page, "programmes-desktop-en")
    page.get_by_role("button", name="العربيّة").click()
    page.wait_for_url(f"{site}/ar/programmes/")
    html = page.locator("html")
    assert html.get_attribute("dir") == "rtl"
    assert html.get_attribute("lang") == "ar"
    assert page.get_by_role("heading", level=1).inner_text() == "البرامج"
    # The layout mirrors: the brand sits on the right of the header in Arabic.
    brand = page.get_by_role("link", name="Attaché").bounding_box()
    assert brand["x"] > DESKTOP["width"] / 2
    screenshot(page, "programmes-desktop-ar")

    page.set_viewport_size(PHONE)
    page.goto(f"{site}/ar/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "home-phone-ar")
    page.goto(f"{site}/en/")
    screenshot(page, "home-phone-en")
    page.goto(f"{site}/ar/accounts/login/")
    screenshot(page, "login-phone-ar")


def test_a_phone_visitor_opens_the_menu_and_signs_in_as_participant(site, page, screenshot):
    page.set_viewport_size(PHONE)
    page.goto(f"{site}/fr/")
    page.get_by_role("button", name="Ouvrir le menu").click()
    page.get_by_role("link", name="Se connecter").first.click()
    page.get_by_role("textbox", name="E-mail").fill("participant@example.org")
    page.get_by_role("textbox", name="Mot de passe").fill("demo-pass-2026")
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url(f"{site}/fr/")
    screenshot(page, "home-phone-fr-signed-in")
    assert page.locator("html").get_attribute("lang") == "fr"
