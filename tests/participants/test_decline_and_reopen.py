"""'I cannot come' is a step of its own that says what follows, and a declined invitation can be reopened by its
person until the deadline (then registered as usual); after it, the link says whom to write to."""

import datetime
import re

import pytest
from django.utils import timezone

from participants.models import Invitation, Registration
from participants.notifications import invitation_url
from participants.services import (
    InvitationError,
    accept_invitation,
    decline_invitation,
    invite_person,
    reopen_invitation,
)
from tests.factories import CohortFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

EMAIL = "samira.nasser@example.org"


@pytest.fixture
def inviter():
    return UserFactory(email="organiser.amman@example.org")


@pytest.fixture
def invitation(inviter):
    cohort = CohortFactory(capacity=30)
    return invite_person(cohort=cohort, email=EMAIL, intended_sector="civil_society", invited_by=inviter,
                         full_name="Samira Nasser", language="en")  # fmt: skip


def path_of(invitation, suffix: str = "") -> str:
    return invitation_url(invitation).split("8000", 1)[1] + suffix


def status_of(invitation) -> str:
    return Invitation.objects.get(pk=invitation.pk).status


def registration_form(organisation) -> dict:
    return {"profile-full_name": "Samira Nasser", "profile-organisation": organisation.pk,
            "profile-nationality": "JO", "profile-position": "Caseworker"}  # fmt: skip


# --- The rules (services) ---


def test_a_declined_invitation_is_reopened_before_the_deadline_and_then_accepted(invitation):
    decline_invitation(invitation=invitation)
    reopened = reopen_invitation(invitation=invitation)
    assert reopened.status == Invitation.Status.PENDING
    user = UserFactory(email=EMAIL)
    registration = accept_invitation(invitation=invitation, user=user)
    assert Invitation.objects.get(pk=invitation.pk).registration == registration


def test_the_invitee_cannot_reopen_after_registration_closed(invitation):
    decline_invitation(invitation=invitation)
    cohort = invitation.cohort
    cohort.registration_closes = timezone.now() - datetime.timedelta(hours=1)
    cohort.save()
    with pytest.raises(InvitationError, match="too late to reopen this invitation: registration closed on"):
        reopen_invitation(invitation=Invitation.objects.get(pk=invitation.pk))
    assert status_of(invitation) == Invitation.Status.DECLINED


def test_the_invitee_cannot_reopen_once_the_link_expired(invitation):
    decline_invitation(invitation=invitation)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    with pytest.raises(InvitationError, match="its link expired on"):
        reopen_invitation(invitation=invitation)
    assert status_of(invitation) == Invitation.Status.DECLINED


def test_an_organiser_may_reopen_after_the_deadline_and_only_a_declined_invitation(invitation, organiser):
    with pytest.raises(InvitationError, match="not declined"):
        reopen_invitation(invitation=invitation, by=organiser)
    decline_invitation(invitation=invitation)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - datetime.timedelta(days=2))
    reopen_invitation(invitation=invitation, by=organiser)
    assert status_of(invitation) == Invitation.Status.PENDING


# --- The invitee's pages ---


def test_the_form_has_one_submit_button_and_i_cannot_come_is_a_separate_link(client, invitation):
    client.force_login(UserFactory(email=EMAIL))
    html = client.get(path_of(invitation)).content.decode()
    form = html[html.index('<form method="post" enctype="multipart/form-data"') :]
    form = form[: form.index("</form>")]
    assert form.count('type="submit"') == 1  # no twin of "Send my registration"
    assert 'name="decline"' not in form
    assert re.search(r'href="/en/invitations/[^/"]+/decline/">I cannot come</a>', html)


def test_declining_asks_first_and_a_single_post_declines_nothing(client, invitation):
    client.force_login(UserFactory(email=EMAIL))
    page = client.get(path_of(invitation, "decline/"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Decline the invitation?" in html and "Nobody is emailed." in html
    assert html.index("Back to the invitation") < html.index("Yes, I cannot come")  # the safe choice first
    # The old form's button, and a post without the confirmation, only lead to the question.
    response = client.post(path_of(invitation), {"decline": "1"})
    assert response.status_code == 302 and response["Location"] == path_of(invitation, "decline/")
    assert client.post(path_of(invitation, "decline/")).status_code == 200
    assert status_of(invitation) == Invitation.Status.PENDING


def test_decline_then_reopen_then_register_through_the_link(client, invitation):
    client.force_login(UserFactory(email=EMAIL))
    response = client.post(path_of(invitation, "decline/"), {"confirmed": "1"}, follow=True)
    html = response.content.decode()
    assert status_of(invitation) == Invitation.Status.DECLINED
    assert response.status_code == 200  # not 410: the link still says where things stand
    assert "You declined this invitation" in html and "Reopen my invitation" in html
    response = client.post(path_of(invitation, "reopen/"), follow=True)
    assert "Your invitation is open again: you can register now." in response.content.decode()
    assert status_of(invitation) == Invitation.Status.PENDING
    response = client.post(path_of(invitation), registration_form(OrganisationFactory(kind="ngo", country="JO")))
    registration = Registration.objects.get(user__email=EMAIL)
    assert response["Location"] == f"/en/registrations/{registration.pk}/"
    assert Invitation.objects.get(pk=invitation.pk).status == Invitation.Status.ACCEPTED


def test_the_holder_of_the_link_may_decline_and_reopen_signed_out(client, invitation):
    assert "I cannot come" in client.get(path_of(invitation)).content.decode()  # on the welcome page too
    client.post(path_of(invitation, "decline/"), {"confirmed": "1"})
    assert status_of(invitation) == Invitation.Status.DECLINED
    client.post(path_of(invitation, "reopen/"))
    assert status_of(invitation) == Invitation.Status.PENDING


def test_someone_signed_in_with_another_address_can_neither_decline_nor_reopen(client, invitation):
    client.force_login(UserFactory(email="someone.else@example.org"))
    assert client.get(path_of(invitation, "decline/")).status_code == 403
    assert client.post(path_of(invitation, "decline/"), {"confirmed": "1"}).status_code == 403
    decline_invitation(invitation=invitation)
    assert client.get(path_of(invitation)).status_code == 403
    assert client.post(path_of(invitation, "reopen/")).status_code == 403
    assert status_of(invitation) == Invitation.Status.DECLINED


def test_after_the_deadline_the_link_says_it_is_too_late_and_whom_to_write_to(client, invitation):
    decline_invitation(invitation=invitation)
    cohort = invitation.cohort
    cohort.registration_closes = timezone.now() - datetime.timedelta(hours=1)
    cohort.save()
    client.force_login(UserFactory(email=EMAIL))
    response = client.get(path_of(invitation))
    html = response.content.decode()
    assert response.status_code == 200
    assert "It is too late to reopen this invitation: registration closed on" in html
    assert 'href="mailto:organiser.amman@example.org"' in html
    assert "Reopen my invitation" not in html
    response = client.post(path_of(invitation, "reopen/"), follow=True)
    assert "too late to reopen" in response.content.decode()
    assert status_of(invitation) == Invitation.Status.DECLINED


def test_an_organiser_reopens_a_declined_invitation_from_the_cohort_page(client, invitation, organiser):
    decline_invitation(invitation=invitation)
    client.force_login(organiser)
    page = client.get(f"/en/organise/cohorts/{invitation.cohort_id}/").content.decode()
    assert "1 invitation declined" in page
    assert f'action="/en/organise/invitations/{invitation.pk}/reopen/"' in page
    response = client.post(f"/en/organise/invitations/{invitation.pk}/reopen/", follow=True)
    assert f"The invitation of {EMAIL} is open again" in response.content.decode()
    assert status_of(invitation) == Invitation.Status.PENDING
    assert "1 invitation not answered yet" in response.content.decode()  # the page was rendered afresh


def test_only_organisers_reopen_from_the_cohort_page(client, invitation):
    decline_invitation(invitation=invitation)
    client.force_login(UserFactory(email=EMAIL))
    assert client.post(f"/en/organise/invitations/{invitation.pk}/reopen/").status_code == 403
    assert status_of(invitation) == Invitation.Status.DECLINED
