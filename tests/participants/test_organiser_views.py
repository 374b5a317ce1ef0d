"""The organiser's cohort pages: who may see them, and that each action goes through the rules."""

import pytest

from courses.permissions import PARTNER_EDITORS, TRAINERS
from participants.models import Invitation, Registration, RegistrationEvent, RegistrationStatus
from participants.services import register
from tests.factories import CohortFactory, UserFactory, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort():
    return CohortFactory(capacity=30)


@pytest.mark.parametrize("role", [None, PARTNER_EDITORS, TRAINERS])
def test_only_organisers_see_cohorts(client, cohort, role):
    user = UserFactory(groups=[role] if role else [])
    register(cohort=cohort, user=person("government"))
    client.force_login(user)
    for url in ["/en/organise/cohorts/", f"/en/organise/cohorts/{cohort.pk}/"]:
        assert client.get(url).status_code == 403, url


def test_anonymous_visitors_are_asked_to_sign_in(client, cohort):
    response = client.get(f"/en/organise/cohorts/{cohort.pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_dashboard_shows_the_balance_and_every_registration(
    client, cohort, organiser, django_assert_max_num_queries
):
    for n in range(18):
        register(cohort=cohort, user=person("government", "PH" if n % 2 else "ID"))
    waiting = register(cohort=cohort, user=person("government"))
    register(cohort=cohort, user=person("civil_society"))
    client.force_login(organiser)
    with django_assert_max_num_queries(25):
        response = client.get(f"/en/organise/cohorts/{cohort.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "19 of 30 seats taken, 11 free" in html
    sectors = {row["code"]: row for row in response.context["sectors"]}
    assert sectors["government"]["seated"] == 18 and sectors["government"]["ceiling"] == 18
    assert sectors["government"]["waiting"] == [waiting]
    assert {country: count for country, count, _share in response.context["countries"]} == {"PH": 9, "ID": 9, "TH": 1}


def test_an_organiser_invites_one_person_and_a_duplicate_is_explained(client, cohort, organiser, mailoutbox,
                                                                      django_capture_on_commit_callbacks):  # fmt: skip
    client.force_login(organiser)
    data = {"email": "new.person@example.org", "intended_sector": "government", "language": "fr", "full_name": ""}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/en/organise/cohorts/{cohort.pk}/", data)
    assert response.status_code == 302
    assert Invitation.objects.get().language == "fr"
    assert len(mailoutbox) == 1
    response = client.post(f"/en/organise/cohorts/{cohort.pk}/", data)
    assert response.status_code == 200
    assert "already invited" in response.content.decode()
    assert 'value="new.person@example.org"' in response.content.decode()


def test_confirming_beyond_a_ceiling_is_refused_but_an_override_with_a_reason_works(client, cohort, organiser):
    for _ in range(18):
        register(cohort=cohort, user=person("government"))
    waiting = register(cohort=cohort, user=person("government"))
    client.force_login(organiser)
    response = client.post(f"/en/organise/registrations/{waiting.pk}/confirm/", follow=True)
    assert "as many participants from that sector" in response.content.decode()
    assert Registration.objects.get(pk=waiting.pk).status == RegistrationStatus.WAITLISTED
    response = client.post(f"/en/organise/registrations/{waiting.pk}/override/", {"reason": ""}, follow=True)
    assert "Write down why" in response.content.decode()
    client.post(f"/en/organise/registrations/{waiting.pk}/override/", {"reason": "Sole attaché for Gulf posts"})
    assert Registration.objects.get(pk=waiting.pk).status == RegistrationStatus.CONFIRMED
    event = RegistrationEvent.objects.filter(registration=waiting).last()
    assert (event.kind, event.actor, event.reason) == ("override", organiser, "Sole attaché for Gulf posts")


def test_actions_are_posts_only(client, cohort, organiser):
    registration = register(cohort=cohort, user=person("government"))
    client.force_login(organiser)
    assert client.get(f"/en/organise/registrations/{registration.pk}/confirm/").status_code == 405
    assert client.get(f"/en/organise/registrations/{registration.pk}/cancel/").status_code == 200  # the question
    assert Registration.objects.get(pk=registration.pk).status == RegistrationStatus.CONFIRMED


def test_an_organiser_creates_the_cohort_of_a_session_once(client, organiser):
    from tests.factories import make_session

    session = make_session(slug="new-session")
    client.force_login(organiser)
    assert session.title in client.get("/en/organise/cohorts/").content.decode()
    response = client.post("/en/organise/cohorts/", {"session": session.pk})
    cohort = session.__class__.objects.get(pk=session.pk).cohort
    assert response["Location"] == f"/en/organise/cohorts/{cohort.pk}/"
    assert (cohort.capacity, cohort.target_government, cohort.target_civil_society) == (36, 50, 50)
    response = client.post("/en/organise/cohorts/", {"session": session.pk}, follow=True)
    assert "already has its cohort" in response.content.decode()


def test_invitations_not_answered_come_fifty_at_a_time(client, cohort, organiser):
    import datetime

    valid_until = datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC)
    Invitation.objects.bulk_create(
        Invitation(cohort=cohort, email=f"invitee{n:03}@example.org", intended_sector="government",
                   expires_at=valid_until)
        for n in range(120)
    )  # fmt: skip
    client.force_login(organiser)
    html = client.get(f"/en/organise/cohorts/{cohort.pk}/").content.decode()
    assert "120 invitations not answered yet" in html and "1 / 3" in html
    assert "invitee049@example.org" in html and "invitee050@example.org" not in html
    assert 'href="?invitations=2#invitations"' in html
    html = client.get(f"/en/organise/cohorts/{cohort.pk}/?invitations=3").content.decode()
    assert "invitee119@example.org" in html and "invitee049@example.org" not in html and "3 / 3" in html
    html = client.get(f"/en/organise/cohorts/{cohort.pk}/?invitations=nonsense").content.decode()
    assert "1 / 3" in html  # a bad page number shows the first page
    html = client.get(f"/ar/organise/cohorts/{cohort.pk}/").content.decode()
    assert "120 دعوة لم يُرد عليها بعد" in html
