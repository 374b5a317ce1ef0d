"""A questionnaire's timing, changed by an organiser: the service's rules, then the page's wiring."""

import datetime
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluations import services
from evaluations.models import Survey
from participants.models import AuditEntry
from tests.factories import CohortFactory, UserFactory, make_session

pytestmark = pytest.mark.django_db
AMMAN = zoneinfo.ZoneInfo("Asia/Amman")


@pytest.fixture
def cohort():
    start = timezone.localdate() + datetime.timedelta(days=30)
    session = make_session("timed", start_date=start, end_date=start + datetime.timedelta(days=4),
                           time_zone="Asia/Amman")  # fmt: skip
    cohort = CohortFactory(session=session)
    services.attach_default_plan(cohort=cohort)
    return cohort


def end_of_session(cohort) -> Survey:
    return cohort.surveys.get(instrument__slug="end-of-session")


def test_a_new_timing_is_computed_at_the_venues_wall_clock_and_logged(cohort):
    survey = end_of_session(cohort)
    organiser = UserFactory()
    services.reschedule_survey(survey=survey, anchor="end", offset_days=1, local_time=datetime.time(10, 30),
                               window_hours=48, by=organiser)  # fmt: skip
    survey.refresh_from_db()
    opens = datetime.datetime.combine(cohort.session.end_date + datetime.timedelta(days=1), datetime.time(10, 30),
                                      tzinfo=AMMAN)  # fmt: skip
    assert (survey.opens_at, survey.closes_at) == (opens, opens + datetime.timedelta(hours=48))
    assert (survey.offset_days, survey.window_hours) == (1, 48)
    entry = AuditEntry.objects.get(action=AuditEntry.Action.SETTINGS)
    assert entry.actor == organiser and entry.cohort_id == cohort.pk
    assert (entry.details["code"], entry.details["questionnaire"]) == ("survey_timing", survey.instrument.title)
    assert datetime.datetime.fromisoformat(entry.details["opens"][1]) == opens


def test_an_open_questionnaire_may_stay_open_longer_but_not_open_later(cohort):
    survey = end_of_session(cohort)
    now = timezone.now()
    # Opened the day before yesterday at the venue (30 days before a session starting in 30 days would be today
    # at the survey's local time: still ahead before that hour, and the test failed each morning, UTC).
    Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.OPEN, anchor="start", offset_days=-32,
                                               opens_at=now - datetime.timedelta(hours=1))  # fmt: skip
    survey.refresh_from_db()
    with pytest.raises(services.SurveyError, match="cannot open later"):
        services.reschedule_survey(survey=survey, anchor="end", offset_days=0, local_time=survey.local_time,
                                   window_hours=24, by=UserFactory())  # fmt: skip
    services.reschedule_survey(survey=survey, anchor="start", offset_days=-32, local_time=survey.local_time,
                               window_hours=24 * 60, by=UserFactory())  # fmt: skip
    survey.refresh_from_db()
    assert survey.closes_at - survey.opens_at == datetime.timedelta(days=60)
    assert survey.status == Survey.Status.OPEN


def test_a_closed_questionnaire_keeps_its_timing(cohort):
    survey = end_of_session(cohort)
    Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.CLOSED)
    with pytest.raises(services.SurveyError, match="has closed"):
        services.reschedule_survey(survey=survey, anchor="end", offset_days=2, local_time=datetime.time(9),
                                   window_hours=24, by=UserFactory())  # fmt: skip
    assert not AuditEntry.objects.exists()


def test_the_fields_limits_hold(cohort):
    with pytest.raises(services.SurveyError):
        services.reschedule_survey(survey=end_of_session(cohort), anchor="end", offset_days=1,
                                   local_time=datetime.time(9), window_hours=0, by=UserFactory())  # fmt: skip


def test_the_timing_page_saves_and_returns_to_the_plan(client, organiser, cohort):
    survey = end_of_session(cohort)
    client.force_login(organiser)
    url = reverse("evaluations:survey_timing", kwargs={"pk": survey.pk})
    assert url in client.get(reverse("evaluations:cohort", kwargs={"pk": cohort.pk})).text
    page = client.get(url)
    assert page.status_code == 200 and 'name="window_hours"' in page.text
    response = client.post(url, {"anchor": "end", "offset_days": 0, "local_time": "15:00", "window_hours": 72})
    assert response.status_code == 302 and response["Location"] == reverse("evaluations:cohort", args=[cohort.pk])
    survey.refresh_from_db()
    assert timezone.localtime(survey.opens_at, AMMAN).time() == datetime.time(15)


def test_the_timing_page_shows_errors_next_to_the_field_and_the_services_refusal(client, organiser, cohort):
    survey = end_of_session(cohort)
    client.force_login(organiser)
    url = reverse("evaluations:survey_timing", kwargs={"pk": survey.pk})
    response = client.post(url, {"anchor": "end", "offset_days": 0, "local_time": "15:00", "window_hours": 0})
    assert response.status_code == 200
    assert 'aria-describedby="id_window_hours_error"' in response.text
    Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.CLOSED)
    response = client.post(url, {"anchor": "end", "offset_days": 0, "local_time": "15:00", "window_hours": 24})
    assert response.status_code == 200 and "has closed" in response.text
