"""Staff must set up two-factor authentication before they reach the CMS or any other page."""

import time

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value

from courses.permissions import ORGANISERS, PARTNER_EDITORS
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def sign_in(client, user) -> None:
    """A real sign-in (not force_login): allauth asks for a recent one before MFA can be set up."""
    response = client.post("/en/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


@pytest.mark.parametrize("path", ["/cms/", "/django-admin/", "/en/"])
def test_an_organiser_without_mfa_is_sent_to_set_it_up(client, path):
    client.force_login(UserFactory(groups=[ORGANISERS], is_staff=True))
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/2fa/totp/activate/"


def test_the_setup_page_itself_and_sign_out_stay_reachable(client):
    sign_in(client, UserFactory(groups=[ORGANISERS]))
    response = client.get("/en/accounts/2fa/totp/activate/")
    assert response.status_code == 200
    assert b"two-factor authentication" in response.content.lower()
    assert client.post("/en/accounts/logout/").status_code == 302


def test_a_superuser_without_mfa_is_sent_to_set_it_up(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get("/cms/")["Location"] == "/en/accounts/2fa/totp/activate/"


def test_participants_and_partner_editors_are_not_forced(client):
    client.force_login(UserFactory())
    assert client.get("/en/").status_code == 200
    client.force_login(UserFactory(groups=[PARTNER_EDITORS]))
    assert client.get("/cms/").status_code == 200


def test_an_organiser_sets_up_totp_then_reaches_the_cms(client):
    sign_in(client, UserFactory(groups=[ORGANISERS]))
    page = client.get("/en/accounts/2fa/totp/activate/")
    secret = page.context["form"].secret
    response = client.post("/en/accounts/2fa/totp/activate/", {"code": current_code(secret)})
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    assert client.get("/cms/").status_code == 200


def test_an_organiser_with_totp_signs_in_with_password_then_code(client):
    organiser = UserFactory(email="nadia@example.org", groups=[ORGANISERS])
    secret = generate_totp_secret()
    TOTP.activate(organiser, secret)

    response = client.post("/en/accounts/login/", {"login": "nadia@example.org", "password": PASSWORD})
    assert response["Location"] == "/en/accounts/2fa/authenticate/"
    assert client.get("/cms/").status_code == 302  # not signed in yet

    response = client.post("/en/accounts/2fa/authenticate/", {"code": current_code(secret)})
    assert response.status_code == 302
    assert client.get("/cms/").status_code == 200


def test_after_setting_up_totp_the_recovery_codes_lead_on_to_the_page_the_organiser_wanted(client):
    from django.urls import reverse

    sign_in(client, UserFactory(groups=[ORGANISERS]))
    wanted = "/en/organise/roles/"
    assert client.get(wanted)["Location"] == "/en/accounts/2fa/totp/activate/"
    secret = client.get("/en/accounts/2fa/totp/activate/").context["form"].secret
    response = client.post("/en/accounts/2fa/totp/activate/", {"code": current_code(secret)})
    assert response["Location"] == "/en/accounts/2fa/recovery-codes/"
    codes = client.get(response["Location"])
    way_on = reverse("mfa_continue")
    assert f'<a class="btn btn-primary" href="{way_on}">Continue</a>' in codes.text
    assert client.get(way_on)["Location"] == wanted
    # Kept once: later, "Continue" under the codes (viewed from the account pages) leads to the organiser's start.
    assert client.get(way_on)["Location"] == "/en/organise/cohorts/"


def test_continue_without_a_page_waiting_leads_a_participant_home(client):
    from django.urls import reverse

    client.force_login(UserFactory())
    assert client.get(reverse("mfa_continue"))["Location"] == "/en/"
