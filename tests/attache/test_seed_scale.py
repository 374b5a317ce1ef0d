"""`manage.py seed_scale` builds exactly the sizes asked for, keeps cohorts within their rules, can be rebuilt,
and never runs in production.

What is counted: people = accounts `scale-<n>@example.org` (each with a profile and a verified email); cohorts =
cohorts of `scale-` sessions; responses = responses to those cohorts' surveys; ties = ties reported by those people.
"""

import io
import unicodedata

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Count, Q
from django.test import Client
from django.utils import timezone

from courses.models import ProgrammePage, SessionPage
from courses.permissions import ALUMNI
from evaluations.models import Response, Survey, Tie
from evaluations.selectors import DirectoryFilters, search_directory
from participants.models import SEATED, Cohort, Profile, Registration, RegistrationStatus

pytestmark = pytest.mark.django_db

TINY = {"programmes": 2, "cohorts": 4, "people": 120, "responses": 300, "ties": 200}


def seed(**options) -> str:
    out = io.StringIO()
    call_command("seed_scale", **{**TINY, **options}, stdout=out)
    return out.getvalue()


def scale_people():
    return get_user_model().objects.filter(username__startswith="scale-")


def scale_cohorts():
    return Cohort.objects.filter(session__slug__startswith="scale-")


def sizes() -> tuple[int, int, int, int, int, int]:
    people = scale_people()
    return (
        people.count(),
        Profile.objects.filter(user__in=people).count(),
        scale_cohorts().count(),
        Response.objects.filter(survey__cohort__in=scale_cohorts()).count(),
        Tie.objects.filter(reporter__in=people).count(),
        ProgrammePage.objects.filter(slug__startswith="scale-").count(),
    )


def test_a_tiny_run_makes_exactly_the_sizes_asked_for():
    output = seed()
    assert sizes() == (120, 120, 4, 300, 200, 2)
    assert "people" in output and "seed_scale done" in output
    # Every cohort has its sessions' default evaluation plan; the ties join alumni, mostly within a cohort.
    assert not scale_cohorts().filter(surveys__isnull=True).exists()
    ties = Tie.objects.filter(reporter__in=scale_people())
    alumni = set(scale_people().filter(groups__name=ALUMNI).values_list("pk", flat=True))
    assert set(ties.values_list("reporter_id", flat=True)) | set(ties.values_list("other_id", flat=True)) <= alumni
    assert ties.filter(cohort__isnull=False).count() > ties.count() / 2
    # Survey ties point at the reporter's own follow-up answers, which name the other person.
    for tie in ties.filter(source=Tie.Source.SURVEY).select_related("response__survey__instrument")[:20]:
        assert tie.response.respondent_id == tie.reporter_id
        assert tie.response.survey.instrument.slug == "follow-up"
        assert tie.other_id in [uid for key, value in tie.response.answers.items() if key.startswith("ties_")
                                for uid in value]  # fmt: skip


def test_cohorts_stay_within_capacity_and_balanced():
    seed()
    phases = set()
    for cohort in scale_cohorts().select_related("session"):
        seated = dict(
            Registration.objects.filter(cohort=cohort, status__in=SEATED).values_list("sector").annotate(n=Count("id"))
        )
        total = sum(seated.values())
        assert 15 <= total <= cohort.capacity
        assert 30 <= cohort.capacity <= 40
        government, civil = seated.get("government", 0), seated.get("civil_society", 0)
        assert abs(government - civil) <= 1
        for sector, count in seated.items():
            assert count <= cohort.ceiling(sector)
        statuses = set(cohort.registrations.values_list("status", flat=True))
        if RegistrationStatus.ATTENDED in statuses:
            phases.add("past")
            assert statuses <= {RegistrationStatus.ATTENDED, RegistrationStatus.NO_SHOW, RegistrationStatus.DECLINED,
                                RegistrationStatus.CANCELLED}  # fmt: skip
        else:
            phases.add("running or upcoming")
    assert phases == {"past", "running or upcoming"}
    # Identified answers: one per person and survey, dated inside the survey's window.
    identified = Response.objects.filter(survey__cohort__in=scale_cohorts(), respondent__isnull=False)
    assert not identified.values("survey", "respondent").annotate(n=Count("id")).filter(n__gt=1).exists()
    for response in identified.select_related("survey")[:50]:
        assert response.submitted
        assert response.survey.opens_at.date() <= response.submitted_on <= response.survey.closes_at.date()
    anonymous = Response.objects.filter(survey__cohort__in=scale_cohorts(), respondent__isnull=True)
    assert not anonymous.exclude(survey__anonymous=True).exists()
    assert not anonymous.filter(submitted_on__isnull=False).exists()
    # What has opened is open or closed, as the schedule would have left it (so that it emails nobody).
    opened = Survey.objects.filter(cohort__in=scale_cohorts(), opens_at__lte=timezone.now())
    assert not opened.filter(status=Survey.Status.SCHEDULED).exists()


def test_names_are_searchable_in_the_directory_in_any_script():
    seed()
    listed = Profile.objects.filter(user__in=scale_people().filter(groups__name=ALUMNI), listed_in_directory=True)
    assert listed.count() > 10
    # By the passport name in capitals, then by the name in its own script (for those who share it).
    profile = listed.first()
    found = search_directory(filters=DirectoryFilters(q=profile.full_name.upper()))
    assert profile.user_id in [card.user_id for card in found.object_list]
    native = listed.exclude(native_name="").filter(user__listing__share_native_name=True).first()
    found = search_directory(filters=DirectoryFilters(q=native.native_name))
    assert native.user_id in [card.user_id for card in found.object_list]
    # The folded keys are set although bulk inserts skip Profile.save().
    profiles = Profile.objects.filter(user__in=scale_people())
    assert not profiles.filter(name_key="").exists()
    assert not profiles.exclude(native_name="").filter(native_name_key="").exists()
    names = "".join(profiles.values_list("native_name", flat=True))
    scripts = {unicodedata.name(char).split()[0] for char in names if char.isalpha()}
    assert {"THAI", "KHMER", "LATIN", "ARABIC", "LAO", "MYANMAR", "DEVANAGARI", "BENGALI"} <= scripts
    assert any(char in names for char in "ễệạảắầốờừữđĐăơư")  # Vietnamese in its own spelling


def test_the_public_programme_and_session_pages_answer():
    seed()
    client = Client()
    programme = ProgrammePage.objects.filter(slug__startswith="scale-").first()
    session = SessionPage.objects.child_of(programme).first()
    for page in (programme, session):
        response = client.get(page.url)
        assert response.status_code == 200, page.url
    assert session.title.encode() in client.get(programme.url).content


def test_a_second_run_stops_and_reset_rebuilds_without_duplicates():
    seed()
    first = sizes()
    output = seed(responses=500, ties=50)
    assert "--reset" in output
    assert sizes() == first
    seed(reset=True, people=150, responses=250, ties=90)
    assert sizes() == (150, 150, 4, 250, 90, 2)
    assert (
        not Registration.objects.filter(Q(user__in=scale_people()))
        .values("user", "cohort")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .exists()
    )


def test_it_never_runs_with_production_settings(settings):
    settings.ATTACHE_ENVIRONMENT = "production"
    with pytest.raises(CommandError):
        seed()
    assert not scale_people().exists()
