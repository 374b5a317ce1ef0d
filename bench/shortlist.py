"""Benchmark of the shortlist assistant (printed, not asserted): 2,000 applications scored by 5 reviewers, a cohort
of 36 seats with the default balance (50/50 government and civil society, 10 points of tolerance), at most 4 per
country and at least 40 % women. Target: a proposal in under 2 s.

No database: participants/services/shortlist.py works on plain data. The first proposal of the process is timed
apart (it loads HiGHS); then each case is proposed `--runs` times (median and worst printed). Run with
`make bench` or `python bench/shortlist.py`; `--smoke` runs each case once (CI).
"""

import argparse
import random
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import setup_local  # noqa: E402

setup_local()

import django  # noqa: E402

django.setup()

from participants.models import Cohort  # noqa: E402
from participants.services.shortlist import Candidate, propose_shortlist, rules_for_cohort  # noqa: E402

APPLICATIONS = 2_000
REVIEWERS = 5
WEIGHTS = (3, 2, 2, 1)  # a rubric of four criteria scored 1–5
# Where applicants to a labour-migration training in Asia and the Middle East come from: a few countries send many.
COUNTRIES = {"PH": 14, "ID": 12, "VN": 10, "NP": 9, "BD": 9, "LK": 7, "MM": 6, "KH": 6, "TH": 5, "IN": 5, "PK": 4,
             "LA": 3, "JO": 3, "LB": 2, "KW": 2, "QA": 2, "AE": 2, "SA": 2, "MY": 2, "TL": 1}  # fmt: skip


def applications(seed: int = 16) -> list[Candidate]:
    """2,000 applicants, each read by 3 of the 5 reviewers (3 % not reviewed yet), a few chosen or left out by hand."""
    rng = random.Random(seed)
    bias = [rng.gauss(0, 0.4) for _ in range(REVIEWERS)]
    people = []
    for number in range(1, APPLICATIONS + 1):
        merit = rng.gauss(3.2, 0.8)
        score = None
        if rng.random() > 0.03:
            reviews = []
            for reviewer in rng.sample(range(REVIEWERS), 3):
                marks = [min(5, max(1, round(merit + bias[reviewer] + rng.gauss(0, 0.6)))) for _ in WEIGHTS]
                reviews.append(sum(w * m for w, m in zip(WEIGHTS, marks, strict=True)) / sum(WEIGHTS))
            score = sum(reviews) / len(reviews)
        hand = rng.random()
        people.append(Candidate(
            id=number, score=score,
            sector=rng.choices(["government", "civil_society", "other"], [52, 41, 7])[0],
            country=rng.choices(list(COUNTRIES), list(COUNTRIES.values()))[0],
            gender=rng.choices(["woman", "man", "self_described", "not_said"], [44, 51, 1, 4])[0],
            forced_in=hand < 0.002, forced_out=0.002 <= hand < 0.004,
        ))  # fmt: skip
    return people


CASES = {
    "default (4 per country, 40 % women)": dict(max_per_country=4, women=40),
    "no country cap, 50 % women": dict(max_per_country=None, women=50),
    "tight: 2 per country, 60 % women": dict(max_per_country=2, women=60),
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--smoke", action="store_true", help="each case once")
    args = parser.parse_args()
    runs = 1 if args.smoke else args.runs
    people = applications()
    reviewed = sum(person.score is not None for person in people)
    print(f"Shortlist assistant: {len(people)} applications ({reviewed} reviewed by 3 of {REVIEWERS}), 36 seats")

    started = time.perf_counter()
    propose_shortlist(candidates=people, rules=rules_for_cohort(Cohort(capacity=36, max_per_country=4)))
    print(f"first proposal of the process (loads HiGHS): {time.perf_counter() - started:.2f} s")

    print(f"{'case':40} {'median s':>9} {'worst s':>8}  selected, by sector, women, goals not met")
    for label, case in CASES.items():
        cohort = Cohort(capacity=36, max_per_country=case["max_per_country"])
        rules = rules_for_cohort(cohort, min_women_percent=case["women"])
        timings = []
        for _ in range(runs):
            started = time.perf_counter()
            result = propose_shortlist(candidates=people, rules=rules)
            timings.append(time.perf_counter() - started)
        sectors = Counter({sector: figures["selected"] for sector, figures in result.balance["sectors"].items()})
        print(
            f"{label:40} {statistics.median(timings):9.2f} {max(timings):8.2f}  {len(result.selected)}, "
            f"{dict(sectors)}, {result.balance['women']} women, {[r.code for r in result.unmet] or 'none'}"
            f"{'' if result.optimal else ', NOT PROVEN BEST'}"
        )


if __name__ == "__main__":
    main()
