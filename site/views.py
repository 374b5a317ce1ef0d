import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


def _check_database() -> dict:
    started = time.perf_counter()
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"vendor": connections["default"].vendor, "ms": round((time.perf_counter() - started) * 1000, 1)}


def _check_cache() -> dict:
    started = time.perf_counter()
    token = str(time.time_ns())
    key = f"healthz:{token}"  # one key per probe: two at once never read each other's
    cache.set(key, token, 30)
    if cache.get(key) != token:
        raise RuntimeError("the cache did not return what was written")
    return {
        "backend": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1],
        "ms": round((time.perf_counter() - started) * 1000, 1),
    }


def _check_queue() -> dict:
    from django_q.brokers import get_broker
    from django_q.models import Schedule
    from django_q.status import Stat

    broker = get_broker()
    if broker.ping() is False:
        raise RuntimeError("the broker did not answer")
    # queue_size() reaches the broker's store (Redis or the ORM table), not just the client.
    queued = broker.queue_size()
    # A cluster counts when its sentinel reported in the last few seconds and has live workers: a killed one
    # leaves a report behind for a moment, a running one renews it twice a second.
    now = timezone.now()
    answering = [
        stat for stat in Stat.get_all(broker=broker)
        if (now - stat.timestamp).total_seconds() < 5 and stat.status not in ("Stopped", "Stopping") and stat.workers
    ]  # fmt: skip
    # The schedules (the outbox sweeper runs every minute) move on only while some cluster's scheduler runs.
    oldest = Schedule.objects.exclude(repeats=0).order_by("next_run").values_list("next_run", flat=True).first()
    behind = max(0, round((now - oldest).total_seconds())) if oldest else 0
    return {"broker": broker.info(), "queued": queued, "clusters": len(answering), "schedules_late_seconds": behind}


def _check_outbox() -> dict:
    """Emails owed: not ok when one has waited longer than OUTBOX_ALERT_SECONDS (no worker sends them, the mail
    server refuses). Reported for monitoring, never a 503: a mail outage is no reason to take web servers out."""
    from courses.outbox import backlog

    report = backlog()
    return {"ok": report["oldest_seconds"] <= getattr(settings, "OUTBOX_ALERT_SECONDS", 900), **report}


CHECKS = {"database": _check_database, "cache": _check_cache, "queue": _check_queue, "outbox": _check_outbox}
REPORTED_ONLY = {"outbox"}


@never_cache
@require_GET
def health(request):
    """Report the state of the database, cache, task queue and outbox; 503 when the database, cache or queue is
    down."""
    report: dict = {}
    healthy = True
    for name, check in CHECKS.items():
        try:
            result = check()
            report[name] = {"ok": result.pop("ok", True), **result}
            healthy = healthy and (report[name]["ok"] or name in REPORTED_ONLY)
        except Exception as error:  # noqa: BLE001 - any failure of a dependency is a health failure
            logger.warning("health check %s failed: %s", name, error)
            healthy = False
            report[name] = {"ok": False, "error": error.__class__.__name__}
    report["status"] = "ok" if healthy else "unavailable"
    return JsonResponse(report, status=200 if healthy else 503)


@never_cache
@require_GET
def ping(request):
    """'ok' and nothing else: a liveness probe for the proxy, and the ceiling the benchmarks compare pages with."""
    from django.http import HttpResponse

    return HttpResponse("ok", content_type="text/plain")
