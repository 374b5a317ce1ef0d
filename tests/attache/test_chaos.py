"""Nothing lost when a worker dies: a batch of invitations is sent by two real task clusters (django-q2 on the
database's broker, or Redis in the PostgreSQL run) to a local SMTP server; each cluster is killed with SIGKILL
in the middle of the batch and started again; once the outbox is drained every invitee has their invitation,
and sees it once: every copy of it carries the same Message-ID."""

import asyncio
import email
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.db import connection

from courses.models import OutboundEmail
from participants.models import Invitation
from tests.factories import CohortFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]
INVITEES = 240

INVITE_THEM = """
import django
django.setup()
from participants.models import Cohort
from django.contrib.auth import get_user_model
from participants.services import invite_person
cohort = Cohort.objects.get(pk={cohort})
organiser = get_user_model().objects.get(pk={organiser})
for n in range({count}):
    invite_person(cohort=cohort, email=f"invitee{{n}}@example.org", intended_sector="government", invited_by=organiser)
"""


class Sink:
    """A mail server that keeps, for each message, who it was for and its Message-ID."""

    def __init__(self):
        self.received: list[tuple[str, str]] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(0.01)  # a mail server takes a moment: the kills land while sends are in flight
        message_id = email.message_from_bytes(envelope.content)["Message-ID"]
        with self.lock:
            self.received.extend((recipient, message_id) for recipient in envelope.rcpt_tos)
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url() -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    user, host, port = settings["USER"] or "postgres", settings["HOST"] or "127.0.0.1", settings["PORT"] or 5432
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    return f"postgres://{user}{password}@{host}:{port}/{settings['NAME']}"


def worker_environment(smtp_port: int) -> dict[str, str]:
    keep = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "PYTEST"))}
    return {
        **keep,
        "DJANGO_SETTINGS_MODULE": "attache.settings.base",
        "DATABASE_URL": database_url(),
        "DATABASE_CONN_MAX_AGE": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "EMAIL_USE_TLS": "false",
        "Q_WORKERS": "2",
        "OUTBOX_LEASE_SECONDS": "15",  # well above a send on a busy 2-core machine: no lease runs out mid-send
        "OUTBOX_REQUEUE_SECONDS": "5",
        "OUTBOX_FIRST_CHANCE_SECONDS": "2",
        "LOG_LEVEL": "ERROR",
    }


def start_cluster(env) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "qcluster"], cwd=ROOT, env=env, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def kill(cluster: subprocess.Popen) -> None:
    """SIGKILL to the cluster and every worker it started: nothing is shut down cleanly."""
    try:
        os.killpg(cluster.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    cluster.wait(timeout=30)


def wait_until(condition, *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


@pytest.mark.django_db(transaction=True)
def test_invitations_reach_everyone_once_though_each_worker_is_killed_mid_batch():
    from aiosmtpd.controller import Controller

    sink = Sink()
    smtp = Controller(sink, hostname="127.0.0.1", port=free_port())
    smtp.start()
    env = worker_environment(smtp.port)
    if os.environ.get("REDIS_URL"):
        import redis

        redis.Redis.from_url(os.environ["REDIS_URL"]).delete("django_q:attache:q")  # an earlier run's leftovers
    cohort, organiser = CohortFactory(capacity=40), UserFactory()
    clusters = []
    try:
        # The organiser's bulk invitation: each invitation owes its email and puts it on the real queue.
        subprocess.run(
            [sys.executable, "-c", INVITE_THEM.format(cohort=cohort.pk, organiser=organiser.pk, count=INVITEES)],
            cwd=ROOT, env=env, check=True, timeout=300,
        )  # fmt: skip
        assert OutboundEmail.objects.filter(sent_at__isnull=True).count() == INVITEES
        clusters = [start_cluster(env), start_cluster(env)]
        kills = 0
        for share in (0.2, 0.5):
            wait_until(lambda share=share: len(sink.received) >= INVITEES * share, timeout=180, what=f"{share:.0%}")
            kill(clusters[kills])
            clusters[kills] = start_cluster(env)
            kills += 1
        assert len({recipient for recipient, _id in sink.received}) < INVITEES, "the kills came after the batch"
        # The sweeper (every minute in production) queues again what the killed workers held.
        deadline = time.monotonic() + 240
        while OutboundEmail.objects.filter(sent_at__isnull=True).exists():
            assert time.monotonic() < deadline, "the outbox was not drained"
            subprocess.run([sys.executable, "manage.py", "outbox", "sweep"], cwd=ROOT, env=env, check=True,
                           capture_output=True, timeout=120)  # fmt: skip
            time.sleep(1)
    finally:
        for cluster in clusters:
            kill(cluster)
        smtp.stop()

    expected = {f"invitee{n}@example.org" for n in range(INVITEES)}
    ids_by_recipient: dict[str, set[str]] = {}
    for recipient, message_id in sink.received:
        ids_by_recipient.setdefault(recipient, set()).add(message_id)
    assert set(ids_by_recipient) == expected  # nobody lost
    assert all(len(ids) == 1 for ids in ids_by_recipient.values())  # each sees one message (one Message-ID)
    duplicates = len(sink.received) - INVITEES
    # A copy can reach the server twice only when a worker died between the server's "accepted" and the record
    # of the send: at most one per worker process killed (2 kills x 2 workers).
    assert duplicates <= 4, duplicates
    assert set(Invitation.objects.filter(cohort=cohort).values_list("sends_done", flat=True)) == {1}
    print(f"chaos: {INVITEES} invitations, 2 kills, {len(sink.received)} deliveries, {duplicates} duplicate(s)")


RACERS = 200
REGISTER_AT_ONCE = """
import json, sys, threading, urllib.error, urllib.parse, urllib.request
jobs = json.load(sys.stdin)
start = threading.Barrier(len(jobs))
answers = [None] * len(jobs)
def post(index, job):
    body = urllib.parse.urlencode(job["form"]).encode()
    request = urllib.request.Request(job["url"], data=body, method="POST", headers={
        "Cookie": f"sessionid={job['session']}; csrftoken={job['csrf']}",
        "Content-Type": "application/x-www-form-urlencoded"})
    start.wait()
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            answers[index] = response.status
    except urllib.error.HTTPError as error:
        answers[index] = error.code
    except Exception as error:
        answers[index] = repr(error)
class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
urllib.request.install_opener(urllib.request.build_opener(NoRedirect))
threads = [threading.Thread(target=post, args=(n, job)) for n, job in enumerate(jobs)]
for thread in threads: thread.start()
for thread in threads: thread.join()
print(json.dumps(answers))
"""


def start_web_server(env, port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"], cwd=ROOT, start_new_session=True,
        env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "2", "GUNICORN_ACCESS_LOG": ""},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip

    def answers():
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return True
        except OSError:
            return False

    wait_until(answers, timeout=60, what=f"the web server on port {port}")
    return server


@pytest.mark.django_db(transaction=True)
def test_two_hundred_registrations_at_once_on_two_web_servers_never_overfill_the_cohort():
    import secrets

    from django.test import Client

    from participants.models import Registration, RegistrationStatus
    from participants.services import invite_person
    from participants.tokens import make_token
    from tests.factories import OrganisationFactory

    cohort = CohortFactory(capacity=30)  # 50/50 targets: at most 18 of a sector
    organiser = UserFactory()
    organisations = {"government": OrganisationFactory(kind="ministry"), "civil_society": OrganisationFactory()}
    ports = [free_port(), free_port()]
    env = {**worker_environment(smtp_port=1), "DJANGO_SETTINGS_MODULE": "attache.settings.test"}
    jobs = []
    for n in range(RACERS):
        sector = "government" if n % 2 else "civil_society"
        user = UserFactory(email=f"racer{n}@example.org")
        invitation = invite_person(cohort=cohort, email=user.email, intended_sector=sector, invited_by=organiser)
        client = Client()
        client.force_login(user)
        csrf = secrets.token_hex(16)
        jobs.append({
            "url": f"http://127.0.0.1:{ports[n % 2]}/en/invitations/{make_token(invitation)}/",
            "session": client.cookies["sessionid"].value, "csrf": csrf,
            "form": {"csrfmiddlewaretoken": csrf, "profile-full_name": f"Racer {n}", "profile-preferred_name": "R",
                     "profile-organisation": organisations[sector].pk, "profile-nationality": "TH",
                     "profile-position": "Officer", "logistics-travelling_from": "Bangkok"},
        })  # fmt: skip
    servers = []
    try:
        servers = [start_web_server(env, port) for port in ports]
        result = subprocess.run([sys.executable, "-c", REGISTER_AT_ONCE], input=json.dumps(jobs),
                                capture_output=True, text=True, timeout=600, check=True)  # fmt: skip
    finally:
        for server in servers:
            kill(server)
    answers = json.loads(result.stdout)
    assert answers == [302] * RACERS, sorted(set(map(str, answers)))  # every one answered, none lost
    registrations = Registration.objects.filter(cohort=cohort)
    assert registrations.count() == RACERS
    confirmed = registrations.filter(status=RegistrationStatus.CONFIRMED)
    assert confirmed.count() == 30
    for sector in ("government", "civil_society"):
        assert confirmed.filter(sector=sector).count() <= cohort.ceiling(sector)
    assert registrations.filter(status=RegistrationStatus.WAITLISTED).count() == RACERS - 30
