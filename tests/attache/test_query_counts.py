"""No page's query count grows with the data: each page the benchmark loads is counted on the demo, then again
after the data has grown (more people, registrations, answers, ties), and may not take one query more."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.models import ProgrammePage, SessionPage
from evaluations.models import Response, Survey, Tie
from participants.models import Cohort, Registration, RegistrationStatus
from tests.factories import alumnus

pytestmark = pytest.mark.django_db


def pages(organiser, alumni_user) -> list[tuple[str, str, object]]:
    programme = ProgrammePage.objects.get(slug="migrant-workers-rights-asia", locale__language_code="en")
    arabic_session = SessionPage.objects.get(slug="bangkok-past", locale__language_code="ar")
    past = Cohort.objects.get(session__slug="bangkok-past", session__locale__language_code="en")
    results = Survey.objects.filter(cohort=past, instrument__slug="end-of-session").get()
    return [
        ("public programme page", programme.url, None),
        ("session page in Arabic", arabic_session.url, None),
        ("organiser: cohort page", f"/en/organise/cohorts/{past.pk}/", organiser),
        ("alumnus: directory search", "/en/alumni/?q=a", alumni_user),
        ("organiser: questionnaire results", f"/en/organise/surveys/{results.pk}/results/", organiser),
        ("organiser: programme network", f"/en/organise/programmes/{programme.pk}/network/", organiser),
    ]


def count(client, path: str, user) -> int:
    if user is None:
        client.logout()
    else:
        client.force_login(user)
    client.get(path)  # the process's own first-use lookups (site, locales, content types) are not the page's
    cache.clear()  # counted cold: what the shared cache would hide is what must not grow
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200, path
    return len(queries.captured_queries)


def grow(past: Cohort) -> None:
    """Twice the alumni and much more of what they produce: answers, ties, listings."""
    people = [alumnus(past, ("government", "civil_society")[n % 2], share=("sector", "organisation", "cohorts"))
              for n in range(30)]  # fmt: skip
    end = past.session.end_date
    survey = Survey.objects.get(cohort=past, instrument__slug="end-of-session")
    Response.objects.bulk_create(
        Response(survey=survey, respondent=person, submitted=True, submitted_on=end,
                 answers={"overall": 1 + n % 5, "cooperation": 3, "action_plan": [{"action": f"Act {n}"}]})
        for n, person in enumerate(people)
    )  # fmt: skip
    Tie.objects.bulk_create(
        Tie(reporter=a, other=b, kind="referral", cohort=past, source="collaboration",
            reported_on=end + datetime.timedelta(days=10 + n))
        for n, (a, b) in enumerate(zip(people, people[1:] + people[:1], strict=True))
    )  # fmt: skip


def test_no_page_takes_more_queries_when_the_data_grows(client, demo, organiser):
    alumni_user = get_user_model().objects.get(email="alumni@example.org")
    listed = pages(organiser, alumni_user)
    before = {name: count(client, path, user) for name, path, user in listed}
    past = Cohort.objects.get(session__slug="bangkok-past", session__locale__language_code="en")
    seated = Registration.objects.filter(cohort=past, status=RegistrationStatus.ATTENDED).count()
    grow(past)
    assert Registration.objects.filter(cohort=past, status=RegistrationStatus.ATTENDED).count() == seated + 30
    after = {name: count(client, path, user) for name, path, user in listed}
    assert after == before
