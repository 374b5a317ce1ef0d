"""Benchmark of the evaluation results (printed, not asserted): a programme with 50 cohorts and 60,000
responses, then 120,000: the results of a questionnaire, a cohort's evaluation page, the trend across the
programme and the Excel export. For each: seconds and SQL queries (which must not grow with the answers).

Uses its own database: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/attache_bench,
created if missing). Run with `make bench`, or `BENCH_COHORTS=5 BENCH_RESPONSES=2000` for a quick look.
"""

import datetime
import io
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import setup  # noqa: E402

setup()
COHORTS = int(os.environ.get("BENCH_COHORTS", "50"))
RESPONSES = int(os.environ.get("BENCH_RESPONSES", "60000"))
PEOPLE = 36

import django  # noqa: E402

django.setup()

from allauth.mfa.models import Authenticator  # noqa: E402
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from courses.models import Organisation, ProgrammePage, SessionPage  # noqa: E402
from evaluations import services  # noqa: E402
from evaluations.exports import export_responses  # noqa: E402
from evaluations.models import Response, Survey  # noqa: E402
from participants.models import Cohort, Profile, Registration, RegistrationStatus  # noqa: E402

User = get_user_model()


def build(programme) -> list[Cohort]:
    """50 past sessions with their cohorts of 36 attendees and the default plan, all questionnaires closed."""
    cohorts = list(Cohort.objects.filter(session__slug__startswith="bench-"))
    if len(cohorts) >= COHORTS:
        return cohorts[:COHORTS]
    organisations = [Organisation.objects.filter(kind=kind).first() for kind in ("ministry", "ngo")]
    for number in range(len(cohorts), COHORTS):
        start = datetime.date(2020, 1, 6) + datetime.timedelta(weeks=4 * number)
        session = programme.add_child(instance=SessionPage(
            title=f"Bench session {number}", slug=f"bench-{number}", start_date=start,
            end_date=start + datetime.timedelta(days=4), city="Bangkok", country="TH", time_zone="Asia/Bangkok",
        ))  # fmt: skip
        cohort = Cohort.objects.create(session=session, capacity=PEOPLE)
        users = User.objects.bulk_create(
            User(username=f"bench{number}-{n}@example.org", email=f"bench{number}-{n}@example.org")
            for n in range(PEOPLE)
        )
        Profile.objects.bulk_create(
            Profile(user=user, full_name=f"Bench {number}-{n}", organisation=organisations[n % 2])
            for n, user in enumerate(users)
        )
        Registration.objects.bulk_create(
            Registration(cohort=cohort, user=user, status=RegistrationStatus.ATTENDED,
                         sector=("government", "civil_society")[n % 2], country="TH")
            for n, user in enumerate(users)
        )  # fmt: skip
        services.attach_default_plan(cohort=cohort)
        cohorts.append(cohort)
    Survey.objects.filter(cohort__in=cohorts).update(status=Survey.Status.CLOSED)
    return cohorts


def answer(cohorts, total: int) -> None:
    """Identified questionnaires: one answer per person; the anonymous daily ones take the rest."""
    rng = random.Random(7)
    surveys = list(Survey.objects.filter(cohort__in=cohorts).select_related("instrument"))
    people = {}
    for registration in Registration.objects.filter(cohort__in=cohorts).values_list("cohort_id", "user_id"):
        people.setdefault(registration[0], []).append(registration[1])
    batch, made = [], 0
    identified = [s for s in surveys if not s.anonymous]
    daily = [s for s in surveys if s.anonymous]
    answered = set(Response.objects.filter(survey__in=identified).values_list("survey_id", "respondent_id"))
    for survey in identified:
        for user_id in people[survey.cohort_id]:
            if made >= total // 3 or (survey.pk, user_id) in answered:
                break
            batch.append(Response(survey=survey, respondent_id=user_id, submitted=True, answers=_answers(survey, rng)))
            made += 1
    while made < total:
        survey = daily[made % len(daily)]
        batch.append(Response(survey=survey, submitted=True, answers=_answers(survey, rng)))
        made += 1
    Response.objects.bulk_create(batch, batch_size=5000)


def _answers(survey, rng) -> dict:
    slug = survey.instrument.slug
    if slug == "daily":
        return {"useful": rng.randint(2, 5), "pace": str(rng.randint(1, 3)), "best": rng.choice(["Role play", "Cases"])}
    if slug == "end-of-session":
        before = rng.randint(1, 3)
        return {"overall": rng.randint(3, 5), "standards": {"before": before, "after": before + rng.randint(0, 2)},
                "referral": {"before": before, "after": before + 1}, "cooperation": rng.randint(2, 5),
                "action_plan": [{"action": "Referral desk"}]}  # fmt: skip
    if slug == "follow-up":
        return {"applied": "Referrals", "action_plan": [{"action": "Referral desk", "status": "done"}]}
    return {"role": str(rng.randint(1, 6)), "standards": rng.randint(1, 5), "needs": "Case law"}


def measure(client, label: str, url: str) -> None:
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - started
    assert response.status_code == 200, (url, response.status_code)
    print(f"  {label:<40} {elapsed * 1000:8.0f} ms {len(queries.captured_queries):5d} queries")


def run(cohorts, client) -> None:
    cohort = cohorts[-1]
    daily = Survey.objects.filter(cohort=cohort, anonymous=True).first()
    end = Survey.objects.get(cohort=cohort, instrument__slug="end-of-session")
    programme = cohort.session.get_parent()
    print(f"{Response.objects.count():,} responses in {len(cohorts)} cohorts")
    measure(client, "results of a daily evaluation", reverse("evaluations:survey_results", kwargs={"pk": daily.pk}))
    measure(client, "results of the end-of-session evaluation",
            reverse("evaluations:survey_results", kwargs={"pk": end.pk}))  # fmt: skip
    measure(client, "a cohort's evaluation page", reverse("evaluations:cohort", kwargs={"pk": cohort.pk}))
    measure(client, "the trend across the programme", reverse("evaluations:programme", kwargs={"pk": programme.pk}))
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        rows = sum(export_responses(survey=s, destination=io.BytesIO()) for s in Survey.objects.filter(cohort=cohort))
        elapsed = time.perf_counter() - started
    print(f"  {'Excel export of a cohort (' + str(rows) + ' rows)':<40} {elapsed * 1000:8.0f} ms "
          f"{len(queries.captured_queries):5d} queries")  # fmt: skip


def main() -> None:
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("seed_demo", verbosity=0)
    programme = ProgrammePage.objects.filter(locale__language_code="en").first()
    started = time.perf_counter()
    cohorts = build(programme)
    Response.objects.filter(survey__cohort__in=cohorts).delete()
    answer(cohorts, RESPONSES)
    print(f"Evaluations benchmark on {connection.vendor}, {os.cpu_count()} cores "
          f"(data built in {time.perf_counter() - started:.0f} s)")  # fmt: skip
    organiser = User.objects.get(email="organiser@example.org")
    if not Authenticator.objects.filter(user=organiser, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(organiser, generate_totp_secret())  # organisers must use two-factor authentication
    client = Client()
    client.force_login(organiser)
    run(cohorts, client)
    answer(cohorts, RESPONSES)  # twice the answers: the query counts must not move
    run(cohorts, client)


if __name__ == "__main__":
    main()
