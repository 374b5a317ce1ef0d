"""On a phone, in Arabic: password sign-in is paused for the address by a stranger's guesses, and its owner signs
in with a code from her mailbox instead."""

import re
from urllib.parse import urlparse

import pytest
from django.core.management import call_command
from django.test import Client

from tests.browser.conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server):
    call_command("seed_demo", verbosity=0)
    return live_server.url


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_owner_signs_in_with_a_code_while_password_sign_in_is_paused(site, browser, mailoutbox, screenshot):
    # allauth counts wrong passwords per address and host name: the stranger asks the live server's.
    stranger = Client(HTTP_HOST=urlparse(site).netloc)
    for n in range(6):
        stranger.post("/en/accounts/login/", {"login": "participant@example.org", "password": f"guess-{n}"},
                      REMOTE_ADDR="203.0.113.9")  # fmt: skip

    context = browser.new_context(viewport=PHONE, locale="ar", is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{site}/ar/accounts/login/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.locator("input[name=login]").fill("participant@example.org")
    page.locator("input[name=password]").fill("demo-pass-2026")
    page.locator("main button[type=submit]").click()

    offer = page.locator("main .alert-danger a[href='/ar/accounts/login/code/']")
    offer.wait_for()
    assert fits_the_screen(page)
    screenshot(page, "sign-in-paused-phone-ar")
    offer.click()

    page.wait_for_url(re.compile(r"/ar/accounts/login/code/$"))
    page.locator("input[name=email]").fill("participant@example.org")
    assert fits_the_screen(page)
    screenshot(page, "sign-in-code-request-phone-ar")
    page.locator("main button[type=submit]").click()

    page.wait_for_url(re.compile(r"/ar/accounts/login/code/confirm/$"))
    (message,) = mailoutbox
    code = re.search(r"^\s*([A-Z0-9]{3,}(?:-[A-Z0-9]{3,})*)\s*$", message.body, re.MULTILINE).group(1)
    page.locator("input[name=code]").fill(code)
    assert fits_the_screen(page)
    screenshot(page, "sign-in-code-confirm-phone-ar")
    page.locator("main form button[type=submit]:not([form])").click()

    page.wait_for_url(re.compile(r"/ar/$"))
    page.get_by_text("participant@example.org").first.wait_for(state="attached")
    context.close()
