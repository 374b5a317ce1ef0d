"""The visa invitation letter: the right name, only for the person or an organiser, once confirmed."""

import io
import unicodedata

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from pypdf import PdfReader

from courses.permissions import ORGANISERS
from participants.services import register
from tests.factories import CohortFactory, UserFactory, person

pytestmark = pytest.mark.django_db


def text_of(content: bytes) -> str:
    return unicodedata.normalize("NFKC", "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages))


@pytest.fixture
def confirmed():
    cohort = CohortFactory(capacity=30)
    user = person("government", "JO")
    user.profile.full_name = "Samir Al-Khatib"
    user.profile.native_name = "سمير الخطيب"
    user.profile.save()
    return register(cohort=cohort, user=user, logistics={"needs_visa_letter": True})


def test_the_participant_downloads_a_letter_with_their_passport_name(client, confirmed):
    client.force_login(confirmed.user)
    response = client.get(f"/en/registrations/{confirmed.pk}/visa-letter/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = text_of(response.content)
    assert "Samir Al-Khatib" in text and "Jordan" in text
    assert confirmed.cohort.session.title in text
    assert "سمير" in text and "الخطيب" in text


def test_an_organiser_downloads_it_too(client, confirmed):
    organiser = UserFactory(groups=[ORGANISERS])
    TOTP.activate(organiser, generate_totp_secret())
    client.force_login(organiser)
    assert client.get(f"/fr/registrations/{confirmed.pk}/visa-letter/").status_code == 200


def test_nobody_else_gets_it(client, confirmed):
    client.force_login(UserFactory())
    assert client.get(f"/en/registrations/{confirmed.pk}/visa-letter/").status_code == 404


def test_a_waitlisted_person_is_told_when_the_letter_comes(client):
    cohort = CohortFactory(capacity=30)
    for _ in range(18):
        register(cohort=cohort, user=person("government"))
    waiting = register(cohort=cohort, user=person("government"))
    client.force_login(waiting.user)
    response = client.get(f"/en/registrations/{waiting.pk}/visa-letter/", follow=True)
    assert "available once your place is confirmed" in response.content.decode()
