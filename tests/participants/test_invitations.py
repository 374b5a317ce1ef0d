"""Invitations: personal signed links, one email per request to send, and the invitee's way to a registration."""

import datetime
import re

import pytest
from django.core import signing
from django.utils import timezone

from courses.models import OutboundEmail
from courses.outbox import deliver
from participants.models import Invitation, Registration, RegistrationStatus
from participants.notifications import invitation_url
from participants.services import InvitationError, invite_person, register, resend_invitation
from participants.tasks import send_invitation_email
from participants.tokens import make_token
from tests.factories import PASSWORD, CohortFactory, OrganisationFactory, UserFactory, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitation(django_capture_on_commit_callbacks):
    cohort = CohortFactory(capacity=30)
    with django_capture_on_commit_callbacks(execute=True):
        return invite_person(cohort=cohort, email=" Lina.Haddad@Example.org ", intended_sector="civil_society",
                             invited_by=UserFactory(), full_name="Lina Haddad", language="ar")  # fmt: skip


def path_of(invitation) -> str:
    return invitation_url(invitation).split("8000", 1)[1]


def test_an_invitation_is_emailed_once_in_the_invitees_language(client, invitation, mailoutbox):
    assert invitation.email == "lina.haddad@example.org"
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["lina.haddad@example.org"]
    assert message.subject == f"دعوة: {invitation.cohort.session.title}"
    link = re.search(r"http://\S+/ar/invitations/\S+/", message.body).group(0)
    assert client.get(link.split("8000", 1)[1]).status_code == 200
    sent = OutboundEmail.objects.get(key=f"invitation:{invitation.pk}:1")
    assert deliver(sent.pk) == "busy"  # a retried job sends nothing
    send_invitation_email(invitation.pk)  # nor does a job queued before the outbox
    assert len(mailoutbox) == 1
    invitation.refresh_from_db()
    assert (invitation.sends_done, invitation.last_sent_at is not None) == (1, True)


def test_resending_sends_exactly_one_more_email(invitation, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        resend_invitation(invitation=invitation, by=UserFactory())
    assert len(mailoutbox) == 2
    assert [deliver(email.pk) for email in OutboundEmail.objects.all()] == ["busy", "busy"]
    assert len(mailoutbox) == 2


def test_inviting_the_same_address_twice_is_refused(invitation):
    with pytest.raises(InvitationError, match="already invited"):
        invite_person(cohort=invitation.cohort, email="LINA.HADDAD@example.org", intended_sector="government",
                      invited_by=UserFactory())  # fmt: skip


def test_the_token_names_no_guessable_id_and_a_tampered_one_is_refused(client, invitation):
    token = make_token(invitation)
    assert str(invitation.pk) != token and len(token) > 20
    response = client.get(f"/en/invitations/{token[:-2]}xy/")
    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()
    forged = signing.dumps({"i": invitation.pk, "n": "0" * 32}, salt="attache.participants.invitation", compress=True)
    assert client.get(f"/en/invitations/{forged}/").status_code == 404


def test_an_expired_link_explains_itself(client, invitation):
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    response = client.get(path_of(invitation).replace("/ar/", "/en/"))
    assert response.status_code == 410
    assert "This invitation expired on" in response.content.decode()


def test_a_resend_makes_an_expired_link_work_again(client, invitation):
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    resend_invitation(invitation=invitation, by=UserFactory())
    assert client.get(path_of(invitation)).status_code == 200


def test_an_anonymous_visitor_is_welcomed_and_signs_up_without_a_second_verification(client, invitation, mailoutbox):
    path = path_of(invitation).replace("/ar/", "/en/")
    page = client.get(path)
    assert page.status_code == 200
    assert "lina.haddad@example.org" in page.content.decode()
    mailoutbox.clear()
    response = client.post(
        f"/en/accounts/signup/?next={path}",
        {"email": "lina.haddad@example.org", "password1": PASSWORD, "password2": PASSWORD, "next": path},
    )
    assert response.status_code == 302 and response["Location"] == path
    assert mailoutbox == []  # the invitation link already proved the address
    assert client.get(path).status_code == 200


def test_the_invitee_registers_and_lands_on_their_confirmed_registration(client, invitation):
    user = UserFactory(email="lina.haddad@example.org")
    client.force_login(user)
    ngo = OrganisationFactory(kind="ngo", country="LB")
    path = path_of(invitation).replace("/ar/", "/en/")
    response = client.post(path, {
        "profile-full_name": "Lina Haddad", "profile-native_name": "لينا حداد", "profile-preferred_name": "Lina",
        "profile-organisation": ngo.pk, "profile-nationality": "LB", "profile-position": "Caseworker",
        "logistics-needs_visa_letter": "on", "logistics-travelling_from": "Beirut, Lebanon",
    })  # fmt: skip
    registration = Registration.objects.get(user=user)
    assert response["Location"] == f"/en/registrations/{registration.pk}/"
    assert (registration.status, registration.sector, registration.country) == ("confirmed", "civil_society", "LB")
    assert registration.needs_visa_letter and registration.language == "en"
    assert user.profile.native_name == "لينا حداد" and user.profile.consents_updated_at is not None
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED and invitation.registration == registration
    assert "Your place is confirmed." in client.get(response["Location"]).content.decode()
    # The same link, used again, explains itself.
    again = client.get(path)
    assert again.status_code == 410 and "already been used" in again.content.decode()


def test_a_form_with_errors_keeps_what_was_typed_and_says_what_to_fix(client, invitation):
    client.force_login(UserFactory(email="lina.haddad@example.org"))
    response = client.post(path_of(invitation).replace("/ar/", "/en/"), {"profile-native_name": "لينا حداد"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Please correct the fields marked below." in html
    assert 'value="لينا حداد"' in html
    assert 'aria-invalid="true"' in html
    assert not Registration.objects.exists()


def test_someone_signed_in_with_another_address_is_refused(client, invitation):
    client.force_login(UserFactory(email="someone.else@example.org"))
    response = client.get(path_of(invitation))
    assert response.status_code == 403
    assert not Registration.objects.exists()


def test_a_person_sees_only_their_own_registration(client):
    cohort = CohortFactory()
    mine, theirs = person("government"), person("civil_society")
    my_registration = register(cohort=cohort, user=mine)
    their_registration = register(cohort=cohort, user=theirs)
    client.force_login(mine)
    assert client.get(f"/en/registrations/{my_registration.pk}/").status_code == 200
    assert client.get(f"/en/registrations/{their_registration.pk}/").status_code == 404
    assert client.post(f"/en/registrations/{their_registration.pk}/cancel/", {"confirmed": "1"}).status_code == 404
    assert Registration.objects.get(pk=their_registration.pk).status == RegistrationStatus.CONFIRMED


def test_a_participant_cancels_and_the_waitlist_moves(client):
    cohort = CohortFactory(capacity=30)
    seated = [register(cohort=cohort, user=person("government")) for _ in range(18)]
    waiting = register(cohort=cohort, user=person("government"))
    client.force_login(seated[0].user)
    client.post(f"/en/registrations/{seated[0].pk}/cancel/", {"reason": "Posting changed", "confirmed": "1"})
    assert Registration.objects.get(pk=seated[0].pk).status == RegistrationStatus.CANCELLED
    assert Registration.objects.get(pk=waiting.pk).status == RegistrationStatus.CONFIRMED
