"""Email is the login, verified before use; failed logins are rate-limited."""

import re

import pytest
from django.contrib.auth import get_user_model

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_sign_up_requires_email_verification_before_signing_in(client, mailoutbox):
    response = client.post(
        "/en/accounts/signup/",
        {
            "email": "new.person@example.org",
            "password1": "a-strong-pass-2026",
            "password2": "a-strong-pass-2026",
        },
    )
    assert response["Location"] == "/en/accounts/confirm-email/"
    assert get_user_model().objects.filter(email="new.person@example.org").exists()
    assert len(mailoutbox) == 1
    link = re.search(r"https?://\S+/confirm-email/\S+/", mailoutbox[0].body).group(0)

    client.logout()
    response = client.post("/en/accounts/login/", {"login": "new.person@example.org", "password": "a-strong-pass-2026"})
    assert response["Location"] == "/en/accounts/confirm-email/"  # refused until verified

    path = link.split("testserver", 1)[1]
    assert client.post(path).status_code == 302
    response = client.post("/en/accounts/login/", {"login": "new.person@example.org", "password": "a-strong-pass-2026"})
    assert response["Location"] == "/en/"


def test_a_wrong_password_gets_a_clear_message_and_keeps_the_email(client):
    UserFactory(email="someone@example.org")
    response = client.post("/en/accounts/login/", {"login": "someone@example.org", "password": "wrong"})
    assert response.status_code == 200
    assert b"not correct" in response.content
    assert b'value="someone@example.org"' in response.content


def test_repeated_failed_logins_are_rate_limited(client):
    UserFactory(email="target@example.org")
    statuses = [
        client.post("/en/accounts/login/", {"login": "target@example.org", "password": "wrong"}).status_code
        for _ in range(7)
    ]
    assert (
        429 in statuses
        or b"Too many failed sign-in attempts"
        in client.post("/en/accounts/login/", {"login": "target@example.org", "password": PASSWORD}).content
    )
    # Even the right password is refused while the limit holds.
    response = client.post("/en/accounts/login/", {"login": "target@example.org", "password": PASSWORD})
    assert response.status_code != 302
