"""Benchmarks of the participants app (printed, not asserted): importing a 2,000-row sheet, and 200 people
registering at the same moment on PostgreSQL.

Uses its own database: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/attache_bench,
created if missing). Run with `make bench`.
"""

import io
import os
import sys
import threading
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import setup  # noqa: E402

setup()

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from courses.models import Organisation, SessionPage  # noqa: E402
from participants.imports import import_rows, read_sheet  # noqa: E402
from participants.models import Cohort, Invitation, Profile, Registration, RegistrationStatus  # noqa: E402
from participants.services import register  # noqa: E402


def bench_import(cohort: Cohort) -> None:
    Invitation.objects.filter(cohort=cohort, email__startswith="bench").delete()
    workbook = Workbook()
    workbook.active.append(["email", "full_name", "sector", "country", "language"])
    for n in range(2000):
        workbook.active.append([f"bench{n}@example.org", f"Person {n}", ("government", "ngo")[n % 2], "TH", "en"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    tracemalloc.start()
    started = time.perf_counter()
    preview = read_sheet(buffer.getvalue(), cohort=cohort)
    checked = time.perf_counter()
    imported = import_rows(cohort=cohort, preview=preview, invited_by=None, strict=True)
    done = time.perf_counter()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"import 2,000 rows: check {checked - started:.2f} s, write {done - checked:.2f} s, "
          f"{imported} invitations, peak Python memory {peak / 2**20:.1f} MiB")  # fmt: skip


def bench_race(cohort: Cohort, people: int = 200) -> None:
    from django.contrib.auth import get_user_model

    User = get_user_model()
    Registration.objects.filter(cohort=cohort).delete()
    User.objects.filter(username__startswith="race").delete()
    organisations = [Organisation.objects.filter(kind=kind).first() for kind in ("ministry", "ngo")]
    users = User.objects.bulk_create([User(username=f"race{n}@example.org", email=f"race{n}@example.org")
                                      for n in range(people)])  # fmt: skip
    Profile.objects.bulk_create([Profile(user=u, full_name=u.email, organisation=organisations[n % 2], nationality="TH")
                                 for n, u in enumerate(users)])  # fmt: skip
    users = list(User.objects.filter(username__startswith="race").select_related("profile__organisation"))
    barrier = threading.Barrier(people)
    # PostgreSQL allows 100 connections by default: like a pooled deployment, at most 80 talk to it at once.
    pool = threading.BoundedSemaphore(int(os.environ.get("BENCH_CONNECTIONS", "80")))
    errors: list[BaseException] = []

    def apply(user):
        barrier.wait()
        with pool:
            try:
                register(cohort=cohort, user=user)
            except BaseException as error:  # noqa: BLE001
                errors.append(error)
            finally:
                connection.close()

    threads = [threading.Thread(target=apply, args=(user,)) for user in users]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    seated = Registration.objects.filter(cohort=cohort, status=RegistrationStatus.CONFIRMED)
    print(f"{people} simultaneous registrations: {elapsed:.2f} s ({people / elapsed:.0f}/s), "
          f"{seated.count()} confirmed of capacity {cohort.capacity} "
          f"(government {seated.filter(sector='government').count()}, civil society "
          f"{seated.filter(sector='civil_society').count()}, ceilings {cohort.ceiling('government')}), "
          f"{Registration.objects.filter(cohort=cohort).count()} recorded, {len(errors)} errors"
          + (f" (first: {errors[0]!r})" if errors else ""))  # fmt: skip


def main() -> None:
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("seed_demo", verbosity=0)
    session = SessionPage.objects.get(slug="amman-upcoming", locale__language_code="en")
    print(f"Participants benchmark on {connection.vendor}, {os.cpu_count()} cores")
    bench_import(session.cohort)
    bench_race(session.cohort)


if __name__ == "__main__":
    main()
