"""Benchmark of selection on the database (printed, not asserted): a call with 2,000 submitted applications, each
read by 3 of 5 reviewers on a rubric of 4 criteria (24,000 marks). Times what an organiser waits for:

- the scores of every application (`application_scores`),
- the shortlist from the database (`shortlist_for_call`: candidates, scores, rules, the proposal) — target < 2 s,
- the shortlist page and the scores page as an organiser sees them, and the Excel export of applications.

Uses its own database: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/attache_bench, created if
missing); the call is built once and kept. Run with `make bench` or `python bench/selection.py [--runs N]`.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import setup  # noqa: E402

setup()

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from courses.models import Organisation, SessionPage  # noqa: E402
from participants.models import (  # noqa: E402
    Application,
    Call,
    CallReviewer,
    Criterion,
    Profile,
    Review,
    Score,
)

APPLICATIONS = 2_000
REVIEWERS = 5
WEIGHTS = (3, 2, 2, 1)
COUNTRIES = {"PH": 14, "ID": 12, "VN": 10, "NP": 9, "BD": 9, "LK": 7, "MM": 6, "KH": 6, "TH": 5, "IN": 5, "PK": 4,
             "LA": 3, "JO": 3, "LB": 2, "KW": 2, "QA": 2, "AE": 2, "SA": 2, "MY": 2, "TL": 1}  # fmt: skip


def timed(function, runs: int) -> tuple[float, float, object]:
    timings, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings), max(timings), result


@transaction.atomic
def build_call() -> Call:
    """The bench call on the Amman session of the demo: 2,000 applicants (bulk-created), 5 reviewers, 4 criteria."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    session = SessionPage.objects.get(slug="amman-upcoming", locale__language_code="en")
    call = Call.objects.get(cohort=session.cohort)
    if Application.objects.filter(call=call, user__username__startswith="bench-applicant").count() >= APPLICATIONS:
        return call
    rng = random.Random(16)
    call.criteria.all().delete()
    criteria = Criterion.objects.bulk_create(
        [Criterion(call=call, label_en=f"Criterion {n}", weight=weight, order=n) for n, weight in enumerate(WEIGHTS)]
    )
    reviewers = [User.objects.get_or_create(username=f"bench-reviewer{n}", email=f"bench-reviewer{n}@example.org")[0]
                 for n in range(REVIEWERS)]  # fmt: skip
    for reviewer in reviewers:
        CallReviewer.objects.get_or_create(call=call, user=reviewer)
    kinds = {"government": list(Organisation.objects.filter(kind__in=["ministry", "embassy"])),
             "civil_society": list(Organisation.objects.filter(kind__in=["ngo", "union"])),
             "other": list(Organisation.objects.exclude(kind__in=["ministry", "embassy", "ngo", "union"]))}  # fmt: skip
    users = User.objects.bulk_create([
        User(username=f"bench-applicant{n}", email=f"bench-applicant{n}@example.org") for n in range(APPLICATIONS)
    ])  # fmt: skip
    profiles = []
    for n, user in enumerate(users):
        sector = rng.choices(list(kinds), [52, 41, 7])[0]
        profiles.append(Profile(
            user=user, full_name=f"Applicant {n}", organisation=rng.choice(kinds[sector] or kinds["government"]),
            nationality=rng.choices(list(COUNTRIES), list(COUNTRIES.values()))[0],
            gender=rng.choices(["woman", "man", "self_described", "not_said"], [44, 51, 1, 4])[0],
        ))  # fmt: skip
    Profile.objects.bulk_create(profiles)
    now = timezone.now()
    applications = Application.objects.bulk_create(
        [Application(call=call, user=user, status="submitted", submitted_at=now) for user in users]
    )
    bias = [rng.gauss(0, 0.4) for _ in range(REVIEWERS)]
    reviews, marks = [], []
    for application in applications:
        if rng.random() < 0.03:
            continue  # not reviewed yet
        merit = rng.gauss(3.2, 0.8)
        for reviewer in rng.sample(range(REVIEWERS), 3):
            review = Review(application=application, reviewer=reviewers[reviewer], submitted_at=now)
            reviews.append(review)
            marks.append([min(5, max(1, round(merit + bias[reviewer] + rng.gauss(0, 0.6)))) for _ in WEIGHTS])
    Review.objects.bulk_create(reviews, batch_size=2_000)
    pairs = zip(reviews, marks, strict=True)
    Score.objects.bulk_create(
        [Score(review=review, criterion=criterion, value=value)
         for review, values in pairs for criterion, value in zip(criteria, values, strict=True)],
        batch_size=5_000,
    )  # fmt: skip
    return call


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("seed_demo", verbosity=0)
    started = time.perf_counter()
    call = build_call()
    print(f"Selection benchmark on {connection.vendor}, {os.cpu_count()} cores; call built or found in "
          f"{time.perf_counter() - started:.1f} s: {Application.objects.filter(call=call).count()} applications, "
          f"{Review.objects.filter(application__call=call).count()} reviews, "
          f"{Score.objects.filter(review__application__call=call).count()} marks")  # fmt: skip

    from participants.selection_selectors import application_scores
    from participants.services.selection import shortlist_for_call

    shortlist_for_call(call=call)  # the first proposal of the process loads HiGHS
    print(f"{'what':44} {'median s':>9} {'worst s':>8}")
    median, worst, _ = timed(lambda: application_scores(call=call), args.runs)
    print(f"{'scores of every application':44} {median:9.2f} {worst:8.2f}")
    median, worst, proposal = timed(lambda: shortlist_for_call(call=call), args.runs)
    print(f"{'shortlist from the database (target < 2 s)':44} {median:9.2f} {worst:8.2f}")

    from django.contrib.auth import get_user_model

    organiser = get_user_model().objects.get(email="organiser@example.org")
    client = Client()
    client.force_login(organiser)
    from allauth.mfa.models import Authenticator

    if not Authenticator.objects.filter(user=organiser).exists():
        from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

        TOTP.activate(organiser, generate_totp_secret())
    for label, url in (
        ("shortlist page", f"/en/organise/calls/{call.pk}/shortlist/"),
        ("scores page", f"/en/organise/calls/{call.pk}/scores/"),
        ("Excel export of applications and scores", f"/en/organise/calls/{call.pk}/applications.xlsx"),
    ):

        def get(url=url):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return response

        median, worst, response = timed(get, max(1, args.runs // 2))
        size = len(response.getvalue() if hasattr(response, "getvalue") else b"".join(response.streaming_content))
        print(f"{label:44} {median:9.2f} {worst:8.2f}  ({size / 1024:.0f} KiB)")


if __name__ == "__main__":
    main()
