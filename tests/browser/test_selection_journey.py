"""An organiser opens the demo call's shortlist, unticks a proposed person and ticks one too many: the balance is
recounted as they go and says when a limit breaks; then they decide through the confirmation page. The page also
reads on a 360 px phone in Arabic."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth import get_user_model
from django.core.management import call_command

from participants.models import Call, Invitation
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.test_organiser_settings_journey import axe_violations, fits, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def seats(page) -> int:
    return int(page.locator("tr[data-balance=seats] .balance-count").inner_text())


def test_an_organiser_adjusts_the_proposal_sees_the_balance_and_decides(live_server, browser, screenshot, mailoutbox):
    call_command("seed_demo", verbosity=0)
    organiser = get_user_model().objects.get(email="organiser@example.org")
    TOTP.activate(organiser, generate_totp_secret())
    call = Call.objects.get(cohort__session__slug="amman-upcoming")
    url = f"{live_server.url}/en/organise/calls/{call.pk}/shortlist/"

    # On a phone, in Arabic: right to left, nothing wider than the screen.
    context, page = signed_in(browser, live_server, organiser, PHONE)
    page.goto(url.replace("/en/", "/ar/"))
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.locator("#balance").wait_for()
    assert fits(page)
    screenshot(page, "shortlist-phone-ar")
    context.close()

    context, page = signed_in(browser, live_server, organiser, DESKTOP)
    page.goto(url)
    page.get_by_role("heading", name="Proposed", exact=True).wait_for()
    assert axe_violations(page) == []
    proposed = page.locator("section[aria-labelledby=section-proposed] .select-box")
    count = proposed.count()
    assert count > 0 and proposed.first.is_checked()
    full = seats(page)
    assert "Not reviewed yet" in page.content() or "not reviewed yet" in page.content()

    # Untick one: the seats are recounted at once, no reload.
    proposed.first.uncheck()
    assert seats(page) == full - 1
    # Tick two from the reserve: one seat too many if the proposal had filled the cohort, said in words.
    reserve = page.locator("section[aria-labelledby=section-reserve] .select-box")
    reserve.nth(0).check()
    reserve.nth(1).check()
    assert seats(page) == full + 1
    if full + 1 > call.cohort.capacity:
        assert "A limit is broken" in page.locator("#balance-summary").inner_text()
        assert "Above the limit" in page.locator("tr[data-balance=seats] .balance-state").inner_text()
    screenshot(page, "shortlist-desktop-en")
    reserve.nth(1).uncheck()
    assert seats(page) == full
    assert "Every limit is kept" in page.locator("#balance-summary").inner_text()

    # Decide…: a page says what will happen, the safe choice first; only the confirmation decides.
    page.get_by_role("button", name="Decide…").click()
    page.get_by_role("heading", name="Decide the selection?").wait_for()
    assert f"{count} people are selected" in page.content()
    buttons = page.locator("main form button")
    assert buttons.first.inner_text().startswith("Not yet")
    screenshot(page, "shortlist-decide-desktop-en")
    call.refresh_from_db()
    assert call.decided_at is None
    page.get_by_role("button", name="Yes, decide and send the emails").click()
    page.get_by_role("heading", name="Selection", exact=True).wait_for()
    assert f"Selected ({count})" in page.content()
    call.refresh_from_db()
    assert call.decided_at is not None and call.decided_by == organiser
    assert Invitation.objects.filter(application__call=call).count() == count
    context.close()
