"""Redis is an accelerator, not a single point of failure: with the cache unreachable, public and signed-in pages
answer 200 from the database, a signed-in person stays signed in, and once Redis is back what it kept from before
the outage is not trusted."""

import socket
import subprocess
import time

import pytest
from django.core.cache import caches
from django.test import override_settings

from courses.models import ProgrammePage
from participants.models import Cohort

DEMO_PASSWORD = "demo-pass-2026"

pytestmark = pytest.mark.django_db

# Port 1 on the loopback: nothing listens there, so every connection is refused at once.
DEAD_REDIS = {
    "default": {
        "BACKEND": "attache.redis_cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "KEY_PREFIX": "attache",
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    }
}


def test_public_pages_search_and_sign_in_answer_while_redis_is_down(client, demo):
    programme = ProgrammePage.objects.get(slug="migrant-workers-rights-asia", locale__language_code="en")
    with override_settings(CACHES=DEAD_REDIS):
        for url in ("/en/", "/ar/", programme.url, "/en/search/?q=rights", "/en/accounts/login/"):
            assert client.get(url).status_code == 200, url
        signed_in = client.post("/en/accounts/login/", {"login": "participant@example.org", "password": DEMO_PASSWORD})
        assert signed_in.status_code == 302, signed_in.content[:500]
        assert client.get("/en/registrations/").status_code == 200


def test_signed_in_pages_answer_and_nobody_is_signed_out_when_redis_goes_away(client, demo):
    from django.contrib.auth import get_user_model

    organiser = get_user_model().objects.get(email="organiser@example.org")
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(organiser, generate_totp_secret())
    client.force_login(organiser)  # the session is written while the cache works
    cohort = Cohort.objects.get(session__slug="bangkok-past", session__locale__language_code="en")
    with override_settings(CACHES=DEAD_REDIS):
        for url in ("/en/organise/cohorts/", f"/en/organise/cohorts/{cohort.pk}/", "/en/registrations/", "/en/"):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code, response.get("Location"))


def test_password_guessing_is_still_limited_while_redis_is_down(client, demo):
    with override_settings(CACHES=DEAD_REDIS):
        answers = [
            client.post("/en/accounts/login/", {"login": "participant@example.org", "password": f"guess-{n}"})
            for n in range(12)
        ]
    throttled = ["Too many failed" in answer.text or answer.status_code == 429 for answer in answers]
    assert not throttled[0] and throttled[-1], throttled  # the counters are kept in the process meanwhile


class HangingUp:
    """A "Redis" that accepts each connection and closes it at once, counting the attempts."""

    def __init__(self):
        import threading

        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.attempts = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                connection, _address = self.listener.accept()
            except OSError:
                return
            self.attempts += 1
            connection.close()


def test_a_dead_redis_is_left_alone_for_a_few_seconds_instead_of_being_tried_on_every_call(settings):
    server = HangingUp()
    settings.REDIS_RETRY_SECONDS = 30
    hanging_up = {**DEAD_REDIS["default"], "LOCATION": f"redis://127.0.0.1:{server.port}/0"}
    with override_settings(CACHES={"default": hanging_up}):
        cache = caches["default"]
        assert cache.get("anything", "miss") == "miss"
        client = cache._cache
        assert client.had_outage and client.down_until > time.monotonic() + 20
        tried = server.attempts
        for _ in range(1000):
            cache.set("key", "value")
            assert cache.get("key") is None
            assert cache.add("other", 1) is True and cache.get_many(["a", "b"]) == {}
        with pytest.raises(ValueError):
            cache.incr("counter")  # callers treat it as a key never set, and set it (dropped too)
        assert tried >= 1 and server.attempts == tried  # 4,000 calls, not one more connection attempted
    server.listener.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def own_redis():
    """A Redis server of the test's own, which the test may pause (CLIENT PAUSE) without disturbing others."""
    import shutil

    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    port = free_port()
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    import redis

    client = redis.Redis(port=port)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    yield port, client
    server.kill()
    server.wait()


def test_after_an_outage_the_keys_kept_from_before_are_deleted_and_the_task_queue_is_left(own_redis, settings):
    port, raw = own_redis
    settings.REDIS_RETRY_SECONDS = 0.2
    ours = {**DEAD_REDIS["default"], "LOCATION": f"redis://127.0.0.1:{port}/0", "OPTIONS": {"socket_timeout": 0.3}}
    with override_settings(CACHES={"default": ours}):
        cache = caches["default"]
        cache.set("fragment-generation:cohort:1", 41, None)  # what a change during the outage could not touch
        raw.set("django_q:attache:q", "a queued task")  # the broker's, in the same Redis
        raw.execute_command("CLIENT", "PAUSE", "1000", "ALL")  # Redis stops answering for a second
        assert cache.get("fragment-generation:cohort:1") is None  # a miss, not an error
        assert cache._cache.had_outage
        time.sleep(1.1)
        assert cache.get("fragment-generation:cohort:1") is None  # back: the old generation was not trusted
        assert raw.get("django_q:attache:q") == b"a queued task"
        cache.set("fresh", 1)
        assert cache.get("fresh") == 1 and not cache._cache.had_outage


def test_every_view_of_personal_data_is_in_the_audit_trail_while_redis_is_down(demo):
    from django.contrib.auth import get_user_model

    from participants.models import AuditEntry
    from participants.services.audit import record_view

    organiser = get_user_model().objects.get(email="organiser@example.org")
    with override_settings(CACHES=DEAD_REDIS):
        for key in ("cohort:1", "cohort:2", "cohort:1"):
            record_view(actor=organiser, details={"code": "cohort_page"}, key=key)
    # Nothing can say "seen already" without the cache: each view is logged rather than none.
    assert AuditEntry.objects.filter(actor=organiser, action=AuditEntry.Action.VIEWED).count() == 3
