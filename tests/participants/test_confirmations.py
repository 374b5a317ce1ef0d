"""Actions that cannot be taken back are asked first, on a page of their own that says who is emailed and what is
lost, with the safe choice first: one POST without the confirmation does nothing."""

import pytest

from courses.permissions import TRAINERS
from participants.models import Registration, RegistrationStatus
from participants.services import register
from tests.factories import CohortFactory, UserFactory, person

pytestmark = pytest.mark.django_db


def status_of(registration) -> str:
    return Registration.objects.get(pk=registration.pk).status


@pytest.fixture
def full_cohort():
    """18 government seats taken (the sector's ceiling) and one government person waiting."""
    cohort = CohortFactory(capacity=30)
    seated = [register(cohort=cohort, user=person("government")) for _ in range(18)]
    waiting = register(cohort=cohort, user=person("government"))
    return seated, waiting


# --- A participant cancels their own registration ---


def test_the_registration_page_links_to_the_question_instead_of_cancelling(client, full_cohort):
    seated, _waiting = full_cohort
    client.force_login(seated[0].user)
    html = client.get(f"/en/registrations/{seated[0].pk}/").content.decode()
    assert f'<a class="btn btn-outline-danger" href="/en/registrations/{seated[0].pk}/cancel/">' in html


def test_cancelling_ones_registration_asks_first_and_says_what_follows(client, full_cohort, mailoutbox):
    seated, waiting = full_cohort
    mailoutbox.clear()
    client.force_login(seated[0].user)
    page = client.get(f"/en/registrations/{seated[0].pk}/cancel/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "You give up your seat: someone on the waiting list takes it at once." in html
    assert "This cannot be undone: you cannot register for this session again." in html
    assert html.index("Keep my registration") < html.index("Yes, cancel my registration")
    # A post without the confirmation (the old form, a double tap) only shows the question, the reason kept.
    response = client.post(f"/en/registrations/{seated[0].pk}/cancel/", {"reason": "Posting changed"})
    assert response.status_code == 200 and 'value="Posting changed"' in response.content.decode()
    response = client.post(f"/en/registrations/{seated[0].pk}/cancel/", {"reason": "Posting changed", "keep": "1"})
    assert response["Location"] == f"/en/registrations/{seated[0].pk}/"
    assert status_of(seated[0]) == RegistrationStatus.CONFIRMED and mailoutbox == []


def test_a_participant_confirms_the_cancellation_and_the_waitlist_moves(client, full_cohort):
    seated, waiting = full_cohort
    client.force_login(seated[0].user)
    client.post(f"/en/registrations/{seated[0].pk}/cancel/", {"reason": "Posting changed", "confirmed": "1"})
    assert status_of(seated[0]) == RegistrationStatus.CANCELLED
    assert status_of(waiting) == RegistrationStatus.CONFIRMED
    assert Registration.objects.get(pk=seated[0].pk).decision_reason == "Posting changed"
    # Nothing left to cancel: the page sends back to the registration.
    assert client.get(f"/en/registrations/{seated[0].pk}/cancel/")["Location"] == f"/en/registrations/{seated[0].pk}/"


# --- An organiser cancels someone's registration, or takes their seat ---


def test_an_organisers_cancel_asks_first_and_one_post_emails_nobody(client, full_cohort, organiser, mailoutbox,
                                                                   django_capture_on_commit_callbacks):  # fmt: skip
    seated, waiting = full_cohort
    mailoutbox.clear()
    client.force_login(organiser)
    url = f"/en/organise/registrations/{seated[0].pk}/cancel/"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": "Visa refused"})  # the Cancel button of the cohort's table
    html = response.content.decode()
    assert response.status_code == 200
    assert "Cancel this registration?" in html and seated[0].user.email in html
    assert "The person is emailed that their registration is cancelled" in html
    assert "Their seat goes at once to someone on the waiting list" in html
    assert 'value="Visa refused"' in html
    assert html.index("Keep it as it is") < html.index("Yes, cancel the registration")
    assert client.get(url).status_code == 200  # the same question from a link
    assert status_of(seated[0]) == RegistrationStatus.CONFIRMED and mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": "Visa refused", "confirmed": "1"})
    assert response["Location"] == f"/en/organise/cohorts/{seated[0].cohort_id}/"
    assert status_of(seated[0]) == RegistrationStatus.CANCELLED
    assert status_of(waiting) == RegistrationStatus.CONFIRMED
    assert sorted(message.to[0] for message in mailoutbox) == sorted([seated[0].user.email, waiting.user.email])


def test_keep_it_as_it_is_changes_nothing(client, full_cohort, organiser):
    seated, _waiting = full_cohort
    client.force_login(organiser)
    response = client.post(f"/en/organise/registrations/{seated[0].pk}/cancel/", {"keep": "1"})
    assert response["Location"] == f"/en/organise/cohorts/{seated[0].cohort_id}/"
    assert status_of(seated[0]) == RegistrationStatus.CONFIRMED


def test_moving_a_confirmed_person_to_the_waitlist_asks_first_but_an_unconfirmed_one_does_not(
    client, full_cohort, organiser
):
    seated, waiting = full_cohort
    client.force_login(organiser)
    response = client.post(f"/en/organise/registrations/{seated[0].pk}/waitlist/")
    assert response.status_code == 200 and "Move this person to the waitlist?" in response.content.decode()
    assert status_of(seated[0]) == RegistrationStatus.CONFIRMED
    client.post(f"/en/organise/registrations/{seated[0].pk}/waitlist/", {"confirmed": "1"})
    assert status_of(seated[0]) == RegistrationStatus.WAITLISTED
    assert status_of(waiting) == RegistrationStatus.CONFIRMED  # took the seat
    # Someone not seated loses nothing: one tap, as before.
    pending = register(cohort=CohortFactory(auto_confirm=False), user=person("civil_society"))
    assert client.post(f"/en/organise/registrations/{pending.pk}/waitlist/").status_code == 302
    assert status_of(pending) == RegistrationStatus.WAITLISTED


def test_a_registration_already_cancelled_is_not_offered_again(client, full_cohort, organiser):
    seated, _waiting = full_cohort
    client.force_login(organiser)
    client.post(f"/en/organise/registrations/{seated[0].pk}/cancel/", {"confirmed": "1"})
    html = client.get(f"/en/organise/registrations/{seated[0].pk}/cancel/").content.decode()
    assert "This registration can no longer be cancelled." in html and "Yes, cancel" not in html


def test_confirm_and_override_stay_posts_of_one_tap(client, full_cohort, organiser):
    seated, _waiting = full_cohort
    client.force_login(organiser)
    assert client.get(f"/en/organise/registrations/{seated[0].pk}/confirm/").status_code == 405
    assert client.get(f"/en/organise/registrations/{seated[0].pk}/override/").status_code == 405


def test_only_organisers_see_the_question(client, full_cohort):
    seated, _waiting = full_cohort
    client.force_login(UserFactory(groups=[TRAINERS]))
    assert client.get(f"/en/organise/registrations/{seated[0].pk}/cancel/").status_code == 403
    assert client.post(f"/en/organise/registrations/{seated[0].pk}/cancel/", {"confirmed": "1"}).status_code == 403
    assert status_of(seated[0]) == RegistrationStatus.CONFIRMED


# --- Taking someone out of a role ---


def test_the_role_removal_page_offers_the_safe_choice_first(client, organiser):
    from django.contrib.auth.models import Group

    trainer = UserFactory(groups=[TRAINERS])
    client.force_login(organiser)
    group = Group.objects.get(name=TRAINERS)
    html = client.get(f"/en/organise/roles/{group.pk}/members/{trainer.pk}/remove/").content.decode()
    form = html[html.index('<form method="post" class="d-flex') :]
    assert form.index("Keep them") < form.index('type="submit"')


def test_a_participants_own_reason_is_not_presented_as_the_organisers_note(
    client, full_cohort, organiser, mailoutbox, django_capture_on_commit_callbacks
):
    seated, _waiting = full_cohort
    mailoutbox.clear()
    client.force_login(seated[0].user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/en/registrations/{seated[0].pk}/cancel/", {"reason": "Posting changed", "confirmed": "1"})
    own = next(message for message in mailoutbox if message.to == [seated[0].user.email])
    assert "is cancelled" in own.body and "Note from the organisers" not in own.body
    client.force_login(organiser)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/en/organise/registrations/{seated[1].pk}/cancel/", {"reason": "Visa refused", "confirmed": "1"})
    theirs = next(message for message in mailoutbox if message.to == [seated[1].user.email])
    assert "Note from the organisers: Visa refused" in theirs.body
