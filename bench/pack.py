"""Benchmark of the session pack (printed, not asserted): badges, sign-in sheets and certificates for a 40-person
cohort and for 1,000 people, names cycling through Latin, Vietnamese, Arabic, Thai, Khmer, Lao and Burmese.

No database: participants/pack.py works on plain data. Each document is built twice: once untimed by anything
else for the seconds, once under tracemalloc for the peak of Python allocations (tracemalloc slows the build
several times, so its run is not the one timed). Run with `make bench` or `python bench/pack.py`.
"""

import datetime
import gc
import io
import os
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import setup_local  # noqa: E402

setup_local()

import django  # noqa: E402
from pypdf import PdfReader  # noqa: E402

django.setup()

from participants.pack import (  # noqa: E402
    PackPerson,
    PackSession,
    build_badges,
    build_certificates,
    build_sign_in_sheets,
)

DAYS = tuple(datetime.date(2026, 3, 2) + datetime.timedelta(days=n) for n in range(5))
SESSION = PackSession(
    programme="Protecting the rights of migrant workers in Asia",
    title="Amman, March 2026: recruitment, complaints and referral",
    start=DAYS[0],
    end=DAYS[-1],
    place="Grand Hyatt, Amman, Jordan",
    days=DAYS,
    host="International Labour Rights Network",
    signatories=(("Leila Haddad", "Programme Director"), ("Somchai Jaidee", "Head of Training")),
)
NAMES = [
    ("Samir Al-Khatib", "سمير الخطيب", "Samir", "Ministry of Labour", "Jordan"),
    ("Nguyễn Thị Lan", "", "Lan", "Department of Overseas Labour", "Viet Nam"),
    ("Somchai Jaidee", "สมชาย ใจดี", "", "Thai Overseas Employment Administration", "Thailand"),
    ("Sok Chanthy", "សុខ ចាន់ធី", "Chanthy", "Ministry of Labour and Vocational Training", "Cambodia"),
    ("Anousone Phommachanh", "ອານຸສອນ ພົມມະຈັນ", "", "Ministry of Labour and Social Welfare", "Lao PDR"),
    ("Aung Kyaw Oo", "အောင်ကျော်ဦး", "", "Ministry of Labour, Immigration and Population", "Myanmar"),
    ("Maria Guadalupe Fernández de la Santísima Trinidad", "", "Lupe", "Migrant Forum in Asia", "Philippines"),
]


def cohort(size: int) -> list[PackPerson]:
    return [
        PackPerson(n, f"{full} {n}", native, preferred, organisation, country,
                   f"https://attache.example.org/en/check-in/{n}/?signature=Zx81kq0pLm{n:06d}Qe7")
        for n, (full, native, preferred, organisation, country) in enumerate(
            (NAMES[i % len(NAMES)] for i in range(size)), start=1
        )
    ]  # fmt: skip


def measure(build, people) -> tuple[float, float, bytes]:
    gc.collect()
    started = time.perf_counter()
    content = build(SESSION, people)
    seconds = time.perf_counter() - started
    gc.collect()
    tracemalloc.start()
    build(SESSION, people)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return seconds, peak / 2**20, content


def main() -> None:
    build_badges(SESSION, cohort(8))  # fonts registered and loaded once, as in a running worker
    print(f"Session pack benchmark, one process, {os.cpu_count()} cores; time untraced, memory = tracemalloc peak")
    print(f"{'document':34} {'people':>6} {'pages':>6} {'seconds':>8} {'ms/person':>9} {'peak MiB':>9} {'PDF KiB':>8}")
    for size in (40, 1000):
        people = cohort(size)
        for label, build in [
            ("badges", build_badges),
            ("certificates", build_certificates),
            (f"sign-in sheets ({len(DAYS)} days)", build_sign_in_sheets),
        ]:
            seconds, peak, content = measure(build, people)
            pages = len(PdfReader(io.BytesIO(content)).pages)
            print(f"{label:34} {size:6d} {pages:6d} {seconds:8.2f} {seconds * 1000 / size:9.1f} {peak:9.1f} "
                  f"{len(content) / 1024:8.0f}")  # fmt: skip


if __name__ == "__main__":
    main()
