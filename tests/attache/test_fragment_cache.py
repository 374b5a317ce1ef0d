"""Signed-in pages kept in the shared cache (courses.fragment_cache, courses.access): a change to what a page
shows is on it at the next visit, what one viewer sees never reaches another, and a role taken away is gone at once.
Each test fills the cache with a first visit, changes the data the way the platform does, and visits again."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.test import Client

from courses import fragment_cache
from courses.permissions import ORGANISERS
from evaluations.models import Response, Survey
from evaluations.selectors import list_allowed_collaborators
from evaluations.services import leave_directory, record_collaboration
from participants.models import Cohort, Invitation, Registration, RegistrationStatus
from participants.services import register, withdraw_registration
from tests.factories import CohortFactory, UserFactory, alumnus, person

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _signed_in(user, **options) -> Client:
    client = Client(**options)
    client.force_login(user)
    return client


@pytest.fixture
def past(db) -> Cohort:
    """A session that ended last year, with its questionnaires (faster than the whole demo)."""
    from evaluations.services import attach_default_plan
    from tests.factories import make_session

    start = datetime.date.today() - datetime.timedelta(days=400)
    session = make_session(slug="past-session", start_date=start, end_date=start + datetime.timedelta(days=4))
    cohort = CohortFactory(session=session, capacity=30)
    attach_default_plan(cohort=cohort)
    return cohort


def test_the_cohort_page_shows_a_decision_at_the_next_visit(client, organiser):
    cohort = CohortFactory(capacity=30)
    registration = register(cohort=cohort, user=person("government"))
    client.force_login(organiser)
    url = f"/en/organise/cohorts/{cohort.pk}/"
    assert "1 of 30 seats taken" in client.get(url).content.decode()
    assert "1 of 30 seats taken" in client.get(url).content.decode()  # from the cache

    withdraw_registration(registration=registration, by=organiser, reason="")
    assert "0 of 30 seats taken" in client.get(url).content.decode()

    Invitation.objects.create(cohort=cohort, email="late.invitee@example.org", intended_sector="government",
                              expires_at=datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC))  # fmt: skip
    assert "late.invitee@example.org" in client.get(url).content.decode()

    profile = registration.user.profile
    profile.preferred_name = "Chai"
    profile.save()
    assert "Chai" in client.get(url).content.decode()


def test_each_organiser_gets_their_own_csrf_token_and_nobody_elses_name(organiser):
    cohort = CohortFactory(capacity=30)
    Invitation.objects.create(cohort=cohort, email="waiting@example.org", intended_sector="government",
                              expires_at=datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC))  # fmt: skip
    second = UserFactory(groups=[ORGANISERS], email="second.organiser@example.org")
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(second, generate_totp_secret())
    url = f"/en/organise/cohorts/{cohort.pk}/"
    first_page = _signed_in(organiser, enforce_csrf_checks=True).get(url).content.decode()
    other = _signed_in(second, enforce_csrf_checks=True)
    second_page = other.get(url).content.decode()
    assert organiser.email in first_page and organiser.email not in second_page
    assert "__attache_csrf_token__" not in second_page
    # The token in the cached part is this organiser's own: the form it sits in works for them.
    invitation = Invitation.objects.get()
    token = TOKEN.findall(second_page)[-1]
    response = other.post(f"/en/organise/invitations/{invitation.pk}/resend/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 302


def test_a_page_cached_in_arabic_is_not_served_in_english(client, organiser):
    cohort = CohortFactory(capacity=30)
    client.force_login(organiser)
    arabic = client.get(f"/ar/organise/cohorts/{cohort.pk}/").content.decode()
    english = client.get(f"/en/organise/cohorts/{cohort.pk}/").content.decode()
    assert "Balance by sector" in english and "Balance by sector" not in arabic


def test_results_count_an_answer_at_the_next_visit(client, organiser, past):
    survey = Survey.objects.get(cohort=past, instrument__slug="end-of-session")
    client.force_login(organiser)
    url = f"/en/organise/surveys/{survey.pk}/results/"
    before = client.get(url).context["answered"]
    newcomer = alumnus(past, "civil_society")
    Response.objects.create(survey=survey, respondent=newcomer, submitted=True, submitted_on=past.session.end_date,
                            answers={"overall": 5})  # fmt: skip
    assert client.get(url).context["answered"] == before + 1


def test_the_network_shows_a_collaboration_at_the_next_visit(client, organiser, past):
    programme = past.session.get_parent().specific
    client.force_login(organiser)
    url = f"/en/organise/programmes/{programme.pk}/network/"
    before = client.get(url).context["ties_total"]
    official = alumnus(past, "government")
    activist = alumnus(past, "civil_society")
    allowed = list_allowed_collaborators(user=official, chosen=[activist.pk])
    record_collaboration(reporter=official, kind="referral", happened_on=past.session.end_date
                         + datetime.timedelta(days=30), people=[activist.pk], allowed=allowed)  # fmt: skip
    assert client.get(url).context["ties_total"] == before + 1


def test_someone_who_leaves_the_directory_is_gone_from_every_search(past):
    seeker = alumnus(past, "civil_society", full_name="Nadia Haddad")
    leaving = alumnus(past, "government", full_name="Zawadi Kamau")
    client = _signed_in(seeker)
    assert "Zawadi Kamau" in client.get("/en/alumni/?q=zawadi").content.decode()
    leave_directory(user=leaving)  # an update, not a save: the service starts a new generation itself
    assert "Zawadi Kamau" not in client.get("/en/alumni/?q=zawadi").content.decode()


def test_the_directory_tells_each_alumnus_whether_they_are_listed(past):
    listed = alumnus(past, "civil_society")
    hidden = alumnus(past, "government", listed=False)
    assert "You are not listed yourself" not in _signed_in(listed).get("/en/alumni/").content.decode()
    assert "You are not listed yourself" in _signed_in(hidden).get("/en/alumni/").content.decode()


def test_an_organiser_removed_from_the_group_is_refused_at_once(client, organiser):
    cohort = CohortFactory(capacity=30)
    client.force_login(organiser)
    url = f"/en/organise/cohorts/{cohort.pk}/"
    assert client.get(url).status_code == 200
    organiser.groups.remove(Group.objects.get(name=ORGANISERS))
    assert client.get(url).status_code == 403
    Group.objects.get(name=ORGANISERS).user_set.add(organiser)  # from the group's side
    assert client.get(url).status_code == 200


def test_an_organiser_who_removes_their_authenticator_must_set_one_up_again(client, organiser):
    from allauth.mfa.models import Authenticator

    cohort = CohortFactory(capacity=30)
    client.force_login(organiser)
    url = f"/en/organise/cohorts/{cohort.pk}/"
    assert client.get(url).status_code == 200
    Authenticator.objects.filter(user=organiser).delete()
    response = client.get(url)
    assert response.status_code == 302 and "/2fa/" in response["Location"]


def test_a_permission_taken_from_a_group_is_gone_at_once(client):
    editor = UserFactory(groups=[ORGANISERS])
    group = Group.objects.get(name=ORGANISERS)
    assert editor.has_perm("participants.change_registration")
    permission = group.permissions.get(codename="change_registration")
    group.permissions.remove(permission)
    assert not get_user_model().objects.get(pk=editor.pk).has_perm("participants.change_registration")


def test_a_generation_is_never_reused_after_the_cache_is_emptied():
    first = fragment_cache.generations(["cohort:1"])[0]
    fragment_cache.touch("cohort:1")
    touched = fragment_cache.generations(["cohort:1"])[0]
    cache.clear()
    assert len({first, touched, fragment_cache.generations(["cohort:1"])[0]}) == 3


def test_the_registration_count_goes_up_when_someone_registers(client, organiser):
    cohort = CohortFactory(capacity=30)
    client.force_login(organiser)
    url = f"/en/organise/cohorts/{cohort.pk}/"
    client.get(url)
    register(cohort=cohort, user=person("civil_society"))
    assert Registration.objects.filter(cohort=cohort, status=RegistrationStatus.CONFIRMED).count() == 1
    assert "1 of 30 seats taken" in client.get(url).content.decode()


def test_a_superuser_made_ordinary_loses_every_permission_at_once():
    root = UserFactory(is_superuser=True, is_staff=True)
    assert "participants.change_registration" in root.get_all_permissions()  # read, and kept in the cache
    root.is_superuser = False
    root.save()
    assert not get_user_model().objects.get(pk=root.pk).has_perm("participants.change_registration")


def test_text_that_looks_like_the_token_placeholder_is_shown_as_typed(client, organiser):
    cohort = CohortFactory(capacity=30)
    registration = register(cohort=cohort, user=person("government"))
    profile = registration.user.profile
    profile.preferred_name = "__attache_csrf_token__"
    profile.save()
    client.force_login(organiser)
    html = client.get(f"/en/organise/cohorts/{cohort.pk}/").content.decode()
    assert ">__attache_csrf_token__</bdi>" in html  # the name, untouched
    assert 'value="__attache_csrf_token__"' not in html  # and every form has a real token
