"""Benchmarks, run on demand (`make bench`): figures are printed, never asserted.

This first bench measures the Django stack in-process (no network, no web server) on the demo data,
so that a change that doubles a page's cost or its queries shows up at once. The served benchmark
with gunicorn, PostgreSQL and Redis against the bare-view ceiling is issue 8's.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import setup_local  # noqa: E402

setup_local()

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

PAGES = [
    ("health check (JSON)", "/healthz"),
    ("home page, English", "/en/"),
    ("home page, Arabic", "/ar/"),
    ("programme page", "/en/programmes/migrant-workers-rights-asia/"),
    ("curriculum module, French", "/fr/programmes/migrant-workers-rights-asia/recruitment-complaints/"),
    ("sign-in page, Arabic", "/ar/accounts/login/"),
]
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "200"))


def measure(client: Client, path: str) -> dict:
    for _ in range(5):
        assert client.get(path).status_code == 200, path
    # Django clears its query log when a request starts, so count statements as they run instead.
    queries = []
    with connection.execute_wrapper(lambda execute, sql, *args: queries.append(sql) or execute(sql, *args)):
        client.get(path)
    timings = []
    started = time.perf_counter()
    for _ in range(REQUESTS):
        t0 = time.perf_counter()
        client.get(path)
        timings.append((time.perf_counter() - t0) * 1000)
    elapsed = time.perf_counter() - started
    timings.sort()
    return {
        "rps": REQUESTS / elapsed,
        "p50": statistics.median(timings),
        "p99": timings[int(len(timings) * 0.99) - 1],
        "queries": len(queries),
    }


def main() -> None:
    Path(os.environ["ATTACHE_VAR_DIR"]).mkdir(parents=True, exist_ok=True)
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("seed_demo", verbosity=0)
    setup_test_environment()
    client = Client()
    print(f"In-process Django benchmark, {REQUESTS} sequential requests per page, one process, SQLite, DB cache")
    print(f"{'page':32} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'queries':>8}")
    for label, path in PAGES:
        figures = measure(client, path)
        print(f"{label:32} {figures['rps']:8.0f} {figures['p50']:8.1f} {figures['p99']:8.1f} {figures['queries']:8d}")


if __name__ == "__main__":
    main()
