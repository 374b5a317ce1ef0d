"""Each questionnaire of a cohort's plan says which one it is: a daily evaluation its day and date, a follow-up its
month, from the day it opens at the venue, in the page's language."""

import datetime

import pytest
from django.urls import reverse

from evaluations import services
from tests.factories import CohortFactory, make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort():
    """Six days, Monday 3 to Saturday 8 May 2027, in Bangkok (a day ahead of UTC in the evening)."""
    session = make_session("labelled", start_date=datetime.date(2027, 5, 3), end_date=datetime.date(2027, 5, 8),
                           time_zone="Asia/Bangkok")  # fmt: skip
    cohort = CohortFactory(session=session)
    services.attach_default_plan(cohort=cohort)
    return cohort


def plan(client, cohort, language="en") -> str:
    return client.get(f"/{language}" + reverse("evaluations:cohort", kwargs={"pk": cohort.pk})[3:]).text


def test_the_plan_tells_the_six_dailies_and_three_follow_ups_apart(client, organiser, cohort):
    client.force_login(organiser)
    text = plan(client, cohort)
    days = ["Mon 3 May", "Tue 4 May", "Wed 5 May", "Thu 6 May", "Fri 7 May", "Sat 8 May"]
    for number, day in enumerate(days, start=1):
        assert text.count(f"Day {number} · {day}") == 2  # the link, and the hidden words of "Change the timing"
    for months, month in ((3, "August 2027"), (6, "November 2027"), (12, "May 2028")):
        assert f"Follow-up at {months} months · {month}" in text


def test_the_labels_read_in_french_and_arabic(client, organiser, cohort):
    client.force_login(organiser)
    french = plan(client, cohort, "fr")
    assert "Jour 3 · mer 5 mai" in french and "Suivi à 6 mois · novembre 2027" in french
    arabic = plan(client, cohort, "ar")
    assert "اليوم 3 · " in arabic and "متابعة بعد 12 شهرًا · " in arabic
    assert "Day 3" not in arabic and "Follow-up at" not in arabic


def test_the_timing_page_names_the_day_it_is_about(client, organiser, cohort):
    survey = cohort.surveys.filter(instrument__slug="daily").order_by("opens_at")[1]
    client.force_login(organiser)
    response = client.get(reverse("evaluations:survey_timing", kwargs={"pk": survey.pk}))
    assert "Day 2 · Tue 4 May" in response.text.split("</h1>", 1)[0]
    services.reschedule_survey(survey=survey, anchor="start", offset_days=3, local_time=datetime.time(16),
                               window_hours=16, by=organiser)  # fmt: skip
    response = client.get(reverse("evaluations:survey", kwargs={"pk": survey.pk}))
    assert "Day 4 · Thu 6 May" in response.text.split("</h1>", 1)[0]
