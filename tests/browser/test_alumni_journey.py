"""An alumnus from civil society finds a government official of their cohort in the directory, in Arabic on a
phone, and sends a message: it reaches the official by email without either address showing."""

import re

import pytest
from django.core import mail
from django.core.management import call_command

from evaluations.models import RelayedMessage
from tests.browser.conftest import DESKTOP, PHONE, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server):
    call_command("seed_demo", verbosity=0)
    return live_server.url


def _sign_in(page, site):
    sign_in(page, site, "alumni@example.org", language="ar")


def test_an_alumnus_finds_a_peer_from_the_other_sector_in_arabic_and_sends_a_message(site, browser, screenshot):
    context = browser.new_context(viewport=PHONE, locale="ar")
    page = context.new_page()
    page.set_default_timeout(15_000)
    _sign_in(page, site)

    page.goto(f"{site}/ar/alumni/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.locator("#id_sector").select_option("government")
    page.locator("form[role=search] button[type=submit]").click()
    page.wait_for_url(re.compile(r"sector=government"))
    cards = page.locator("#results article")
    assert cards.count() >= 5
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "alumni-directory-phone-ar")

    first = cards.first.locator("h2 a")
    name = first.inner_text()
    first.click()
    page.locator("a[href$='/message/']").click()
    page.locator("textarea[name=text]").fill("مرحبًا، هل يمكننا التعاون في إحالة حالات العمال المنزليين؟")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "alumni-message-phone-ar")
    page.locator("main form button[type=submit]").click()
    page.locator(".alert-success").wait_for()

    relay = RelayedMessage.objects.get(sender__email="alumni@example.org")
    assert relay.recipient.profile.display_name in name
    [email] = [message for message in mail.outbox if message.to == [relay.recipient.email]]
    assert "alumni@example.org" not in email.message().as_string()
    assert "هل يمكننا التعاون" in email.body
    context.close()


def test_the_alumni_pages_on_a_desktop_in_english(site, browser, screenshot):
    context = browser.new_context(viewport=DESKTOP, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    _sign_in(page, site)
    pages = (("alumni/", "alumni-directory"), ("alumni/what-i-share/", "alumni-listing"),
             ("alumni/collaborations/", "alumni-collaborations"), ("alumni/network/", "alumni-network"))  # fmt: skip
    for path, name in pages:
        page.goto(f"{site}/en/{path}")
        assert page.locator("h1").count() == 1
        screenshot(page, f"{name}-desktop-en")
    # The collaboration form finds someone of the directory by name and adds them.
    page.goto(f"{site}/en/alumni/collaborations/")
    before = page.locator("input[name=people]").count()
    page.locator("#collaborator-name").fill("ahmad")
    page.locator("#collaborator-search ul button").first.click()
    assert page.locator("input[name=people]:checked").count() == 1
    assert page.locator("input[name=people]").count() in (before, before + 1)
    context.close()
