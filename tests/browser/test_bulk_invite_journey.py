"""An organiser invites a group from an Excel sheet: uploads it, reads the checked preview, imports the valid rows."""

import time

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.contrib.auth import get_user_model
from django.core.management import call_command
from openpyxl import Workbook

from participants.models import Cohort, Invitation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server):
    call_command("seed_demo", verbosity=0)
    return live_server.url


def test_organiser_bulk_invites_from_excel(site, browser, tmp_path, mailoutbox, screenshot):
    secret = generate_totp_secret()
    TOTP.activate(get_user_model().objects.get(email="organiser@example.org"), secret)
    workbook = Workbook()
    rows = [["email", "full_name", "sector", "country", "language"],
            ["khamla@example.org", "Khamla Phommachanh", "government", "LA", "en"],
            ["aung@example.org", "Aung Kyaw", "ngo", "Myanmar", "fr"],
            ["broken-address", "Nobody", "government", "TH", "en"]]  # fmt: skip
    for row in rows:
        workbook.active.append(row)
    path = tmp_path / "invitations.xlsx"
    workbook.save(path)
    cohort = Cohort.objects.get(session__slug="amman-upcoming", session__locale__language_code="en")

    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(f"{site}/en/accounts/login/")
    page.get_by_role("textbox", name="Email").fill("organiser@example.org")
    page.get_by_role("textbox", name="Password").fill("demo-pass-2026")
    page.get_by_role("button", name="Sign In").click()
    page.locator("input[name=code]").fill(format_hotp_value(hotp_value(secret, int(time.time()) // 30)))
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(f"{site}/en/")

    page.get_by_role("link", name="Cohorts").click()
    page.get_by_role("link", name=cohort.session.title).click()
    page.get_by_role("link", name="Invite from a sheet").click()
    page.get_by_label("Excel sheet (.xlsx)").set_input_files(str(path))
    page.get_by_role("button", name="Check the sheet").click()
    page.get_by_text("2 valid rows, 1 rejected.").wait_for()
    page.get_by_text("“broken-address” is not a valid email address").wait_for()
    screenshot(page, "bulk-invite-preview")
    assert Invitation.objects.filter(cohort=cohort).count() == 0  # nothing sent before the organiser says so

    page.get_by_role("button", name="Invite 2 people").click()
    page.get_by_text("2 invitations are on their way.").wait_for()
    invited = set(Invitation.objects.filter(cohort=cohort).values_list("email", "language"))
    assert invited == {("khamla@example.org", "en"), ("aung@example.org", "fr")}
    assert sorted(m.to[0] for m in mailoutbox) == ["aung@example.org", "khamla@example.org"]
