"""A stranger who knows an address can pause password sign-in for it, never keep its owner out: the owner signs in
with a code sent to their mailbox. Staff still pass their second factor after a code."""

import re
import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.test import Client

from courses.permissions import ORGANISERS
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.9"
OWNER = "198.51.100.7"
THROTTLED = "Too many failed sign-in attempts"
CODE_OFFERED = "You can still sign in now with a code sent to your email"


def sign_in_with_password(client, email: str, password: str, ip: str):
    return client.post("/en/accounts/login/", {"login": email, "password": password}, REMOTE_ADDR=ip)


def ask_for_code(client, email: str, ip: str):
    return client.post("/en/accounts/login/code/", {"email": email}, REMOTE_ADDR=ip)


def code_in(message) -> str:
    return re.search(r"^\s*([A-Z0-9]{3,}(?:-[A-Z0-9]{3,})*)\s*$", message.body, re.MULTILINE).group(1)


def enter_code(client, code: str, ip: str):
    return client.post("/en/accounts/login/code/confirm/", {"code": code}, REMOTE_ADDR=ip)


def signed_in_as(client):
    return client.get("/en/", REMOTE_ADDR=OWNER).wsgi_request.user


@pytest.fixture
def alice():
    return UserFactory(email="alice@example.org")


@pytest.fixture
def attacker():
    """A stranger who knows alice's address, guessing her password from one machine."""
    client = Client()
    pages = [sign_in_with_password(client, "alice@example.org", f"guess-{n}", ATTACKER) for n in range(7)]
    assert THROTTLED in pages[-1].content.decode()
    return client


def test_the_owner_signs_in_with_a_code_while_a_stranger_is_throttled(alice, attacker, mailoutbox):
    owner = Client()
    # Password sign-in is paused for her address, from anywhere, and the page says what she can do instead.
    page = sign_in_with_password(owner, "alice@example.org", PASSWORD, OWNER)
    html = page.content.decode()
    assert page.status_code == 200 and THROTTLED in html and CODE_OFFERED in html
    assert 'href="/en/accounts/login/code/"' in html
    assert signed_in_as(owner).is_anonymous

    response = ask_for_code(owner, "alice@example.org", OWNER)
    assert response.status_code == 302 and response["Location"] == "/en/accounts/login/code/confirm/"
    (message,) = mailoutbox
    assert message.to == ["alice@example.org"]
    assert enter_code(owner, code_in(message), OWNER)["Location"] == "/en/"
    assert signed_in_as(owner) == alice

    # The stranger is still throttled, even with the right password.
    assert THROTTLED in sign_in_with_password(attacker, "alice@example.org", "guess-again", ATTACKER).content.decode()
    assert THROTTLED in sign_in_with_password(attacker, "alice@example.org", PASSWORD, ATTACKER).content.decode()


def test_a_stranger_asking_for_codes_does_not_use_up_the_owners(alice, mailoutbox):
    # A new session each time: within one, allauth sends the pending code's page instead of another email.
    answers = [ask_for_code(Client(), "alice@example.org", ATTACKER) for _ in range(5)]
    assert [answer.status_code for answer in answers] == [302, 302, 302, 200, 200]
    assert "Too many codes were requested for this address" in answers[-1].content.decode()
    assert len(mailoutbox) == 3  # her mailbox is not flooded from one machine

    owner = Client()
    assert ask_for_code(owner, "alice@example.org", OWNER).status_code == 302
    assert enter_code(owner, code_in(mailoutbox[-1]), OWNER)["Location"] == "/en/"
    assert signed_in_as(owner) == alice


def test_a_wrong_code_three_times_ends_the_attempt(alice, mailoutbox):
    client = Client()
    ask_for_code(client, "alice@example.org", ATTACKER)
    answers = [enter_code(client, "BCDF-GHJK", ATTACKER) for _ in range(3)]
    assert [answer.status_code for answer in answers] == [200, 200, 302]
    assert enter_code(client, code_in(mailoutbox[0]), ATTACKER).status_code == 302  # back to the start
    assert signed_in_as(client).is_anonymous


def test_an_organiser_signing_in_with_a_code_still_gives_the_authenticator_code(mailoutbox):
    organiser = UserFactory(email="nadia@example.org", groups=[ORGANISERS])
    secret = generate_totp_secret()
    TOTP.activate(organiser, secret)
    client = Client()
    ask_for_code(client, "nadia@example.org", OWNER)
    response = enter_code(client, code_in(mailoutbox[0]), OWNER)
    assert response["Location"] == "/en/accounts/2fa/authenticate/"
    assert client.get("/cms/", REMOTE_ADDR=OWNER).status_code == 302  # not signed in yet
    assert signed_in_as(client).is_anonymous

    totp = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    assert client.post("/en/accounts/2fa/authenticate/", {"code": totp}, REMOTE_ADDR=OWNER).status_code == 302
    assert client.get("/cms/", REMOTE_ADDR=OWNER).status_code == 200


def test_an_organiser_without_an_authenticator_is_still_sent_to_set_one_up(mailoutbox):
    UserFactory(email="omar@example.org", groups=[ORGANISERS])
    client = Client()
    ask_for_code(client, "omar@example.org", OWNER)
    enter_code(client, code_in(mailoutbox[0]), OWNER)
    assert client.get("/cms/", REMOTE_ADDR=OWNER)["Location"] == "/en/accounts/2fa/totp/activate/"


def test_a_code_proves_the_mailbox_of_an_unverified_address(mailoutbox):
    user = UserFactory(email="new@example.org", verified=False)
    refused = sign_in_with_password(Client(), "new@example.org", PASSWORD, OWNER)
    assert refused["Location"] == "/en/accounts/confirm-email/"
    mailoutbox.clear()
    client = Client()
    ask_for_code(client, "new@example.org", OWNER)
    assert enter_code(client, code_in(mailoutbox[0]), OWNER)["Location"] == "/en/"
    assert EmailAddress.objects.get(user=user).verified


def test_an_unknown_address_is_answered_like_a_known_one(mailoutbox):
    response = ask_for_code(Client(), "nobody@example.org", OWNER)
    assert response.status_code == 302 and response["Location"] == "/en/accounts/login/code/confirm/"
    (message,) = mailoutbox
    assert message.to == ["nobody@example.org"] and not re.search(r"^[A-Z0-9]{4}-[A-Z0-9]{4}$", message.body, re.M)


def test_the_throttled_page_offers_the_code_in_arabic(alice, attacker):
    page = Client().post("/ar/accounts/login/", {"login": "alice@example.org", "password": PASSWORD},
                         REMOTE_ADDR=OWNER)  # fmt: skip
    html = page.content.decode()
    assert 'dir="rtl"' in html and 'href="/ar/accounts/login/code/"' in html
    assert CODE_OFFERED not in html and THROTTLED not in html  # translated
