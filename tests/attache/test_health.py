"""GET /healthz reports the database, cache and task queue, and answers 503 when one is down."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

ROOT = Path(__file__).resolve().parents[2]
# Port 1 on the loopback: nothing listens there, so a connection is refused at once.
DEAD_REDIS = "redis://127.0.0.1:1/0"
DEAD_POSTGRES = "postgres://postgres@127.0.0.1:1/attache"

HEALTH_IN_A_FRESH_PROCESS = """
import django, json
django.setup()
from django.test import Client
response = Client().get("/healthz")
print(json.dumps({"status": response.status_code, "body": response.json()}))
"""


def health_in_subprocess(env: dict[str, str]) -> dict:
    """Start Django from scratch with the given environment: the only honest way to lose a database."""
    clean = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "REDIS_URL"}}
    result = subprocess.run(
        [sys.executable, "-c", HEALTH_IN_A_FRESH_PROCESS],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "attache.settings.dev", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.django_db
def test_health_is_ok_when_everything_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] and body["cache"]["ok"] and body["queue"]["ok"]
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_health_answers_503_when_the_cache_is_down(client):
    dead_cache = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": DEAD_REDIS}}
    with override_settings(CACHES=dead_cache):
        response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["cache"] == {"ok": False, "error": "ConnectionError"}
    assert body["database"]["ok"] is True


def test_health_answers_503_when_the_database_is_down():
    report = health_in_subprocess({"DATABASE_URL": DEAD_POSTGRES})
    assert report["status"] == 503
    assert report["body"]["database"]["ok"] is False
    assert report["body"]["database"]["error"] == "OperationalError"


def test_health_answers_503_when_redis_cache_and_broker_are_down(tmp_path):
    report = health_in_subprocess({"DATABASE_URL": f"sqlite:///{tmp_path}/health.sqlite3", "REDIS_URL": DEAD_REDIS})
    assert report["status"] == 503
    body = report["body"]
    assert body["database"]["ok"] is True
    assert body["cache"]["ok"] is False
    assert body["queue"]["ok"] is False
