"""The outbox: every email the platform sends is written down before it leaves.

- `owe_email` records it in the caller's transaction, with a key that says what it is (a registration change,
  the second send of an invitation, reminder 2 of a questionnaire…): a change that is rolled back owes nothing,
  one that is committed cannot lose its email, and the same key is never owed twice.
- After commit it is put on the task queue. A worker *leases* it (a conditional UPDATE: one worker at a time,
  for OUTBOX_LEASE_SECONDS), builds the email from the data as it is then, sends it outside any transaction
  and row lock, and records the send. A failure is tried again later, with a growing pause.
- Every minute `sweep` puts back on the queue what is still unsent a few minutes on: a worker killed mid-batch,
  a broker (Redis) that was down or lost its queue. Each email carries one Message-ID on every attempt, so the
  one case no database can close (killed after the mail server accepted it, before the send was recorded)
  shows the recipient a single message.
"""

from __future__ import annotations

import datetime
import logging
import secrets
from collections.abc import Iterable
from functools import partial

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import OutboundEmail

logger = logging.getLogger(__name__)

# Emails per task: each may take an SMTP round trip of seconds on a slow relay, well inside the task's time-out.
BATCH = 20
ACCOUNT_PREFIX = "account:"
ACCOUNT_EMAIL_LIFETIME = datetime.timedelta(days=1)


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def owe_email(*, key: str, builder: str = "", args: dict | None = None, message: EmailMessage | None = None,
              on_sent: str = "", send_now: bool = False) -> OutboundEmail:  # fmt: skip
    """Record an email owed, once per key, in the caller's transaction; it is queued after commit.

    `builder` is a dotted path called with `args` (ids, JSON) when the email is sent, returning the
    EmailMessage or None when it is no longer due; or `message` is an email rendered now. `send_now`: try it at
    once, here (someone is waiting at the screen for a code); if that fails, the sweeper sends it.
    """
    fields = {"builder": builder, "args": args or {}, "on_sent": on_sent}
    if message is not None:
        fields["message"] = _freeze(message)
    record, created = OutboundEmail.objects.get_or_create(key=key, defaults=fields)
    if created and send_now:
        deliver(record.pk)
    elif created:
        # robust: a broker that is down must not turn a committed change into an error page; the sweeper sends.
        transaction.on_commit(partial(queue, [record.pk]), robust=True)
    return record


_broker_down_until = 0.0
BROKER_RETRY_SECONDS = 30


def queue(ids: Iterable[int]) -> None:
    """Put these emails on the task queue; the broker being down leaves them to the sweeper. After a refusal this
    process does not try the broker again for a while: a page that owes many emails waits for it once at most."""
    import time

    from django_q.tasks import async_task

    global _broker_down_until
    ids = list(ids)
    if not ids or time.monotonic() < _broker_down_until:
        return
    try:
        async_task("courses.tasks.deliver_emails", ids, task_name=f"outbox-{ids[0]}-{len(ids)}")
    except Exception:  # noqa: BLE001 - the outbox keeps them; the sweeper queues them again
        _broker_down_until = time.monotonic() + BROKER_RETRY_SECONDS
        logger.warning("Could not queue %s email(s); the outbox keeps them", len(ids), exc_info=True)
        return
    OutboundEmail.objects.filter(pk__in=ids, sent_at__isnull=True).update(queued_at=timezone.now())


def _freeze(message: EmailMessage) -> dict:
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": dict(message.extra_headers),
        "alternatives": [[str(content), mimetype] for content, mimetype in getattr(message, "alternatives", [])],
    }


def _thaw(frozen: dict) -> EmailMessage:
    message = EmailMultiAlternatives(
        frozen["subject"], frozen["body"], frozen.get("from_email") or settings.DEFAULT_FROM_EMAIL,
        frozen.get("to", []), bcc=frozen.get("bcc", []), cc=frozen.get("cc", []),
        reply_to=frozen.get("reply_to", []), headers=frozen.get("headers", {}),
    )  # fmt: skip
    for content, mimetype in frozen.get("alternatives", []):
        message.attach_alternative(content, mimetype)
    return message


def _claim(pk: int, *, now: datetime.datetime) -> str | None:
    """Lease the email for this worker; None when it is sent, given up, leased by another or not due yet."""
    lease = secrets.token_hex(8)
    free = OutboundEmail.objects.filter(
        pk=pk, sent_at__isnull=True, skipped=False, failed=False, available_at__lte=now
    ).filter(Q(leased_until__isnull=True) | Q(leased_until__lt=now))
    # Outside any transaction (autocommit): the lease is seen by every other worker at once.
    taken = free.update(lease=lease, leased_until=_lease_for(now))
    return lease if taken else None


def _pause(attempts: int) -> datetime.timedelta:
    return datetime.timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))


def _lease_for(seconds_from_now: datetime.datetime) -> datetime.datetime:
    return seconds_from_now + datetime.timedelta(seconds=_setting("OUTBOX_LEASE_SECONDS", 120))


def _build(record: OutboundEmail) -> EmailMessage | None:
    """The email as it is to leave now; None when it is no longer due (its row deleted, an account email grown
    stale: a sign-in code or a reset link a day old is of no use)."""
    if record.key.startswith(ACCOUNT_PREFIX) and record.created_at < timezone.now() - ACCOUNT_EMAIL_LIFETIME:
        return None
    if not record.builder:
        return _thaw(record.message)
    try:
        return import_string(record.builder)(**record.args)
    except ObjectDoesNotExist:
        return None


def _send(email: EmailMessage) -> None:
    """Send on a connection of our own: once the server has accepted the message it counts as sent, whatever
    closing the connection (QUIT) then says."""
    connection = get_connection()
    connection.open()
    try:
        connection.send_messages([email])
    finally:
        try:
            connection.close()
        except Exception:  # noqa: BLE001 - accepted already: not a reason to send it again
            logger.warning("Closing the mail connection failed after a send", exc_info=True)


def deliver(pk: int) -> str:
    """Send one owed email if it is due and free. Returns sent, skipped, busy (not ours now), retry or failed."""
    now = timezone.now()
    lease = _claim(pk, now=now)
    if lease is None:
        return "busy"
    record = OutboundEmail.objects.get(pk=pk)
    try:
        email = _build(record)
        if email is not None:
            # Building (a PDF, templates) took some of the lease: renew it, and send only if it is still ours.
            if not OutboundEmail.objects.filter(pk=pk, lease=lease).update(leased_until=_lease_for(timezone.now())):
                return "busy"
            email.extra_headers.setdefault("Message-ID", record.message_id)
            _send(email)
    except Exception as error:  # noqa: BLE001 - a send that failed is tried again, never lost
        return _failed(record, lease=lease, error=error)
    with transaction.atomic():
        done = OutboundEmail.objects.filter(pk=pk, lease=lease).update(
            sent_at=None if email is None else timezone.now(), skipped=email is None, lease="", leased_until=None,
            attempts=record.attempts + 1, last_error="",
            # What was sent (and a relayed text above all) is not kept once it has left.
            args={}, message={},
        )  # fmt: skip
        if done and email is not None and record.on_sent:
            import_string(record.on_sent)(**record.args)
    if not done:
        logger.warning("Outbox email %s was sent after its lease ran out", pk)
    return "sent" if email is not None else "skipped"


def _failed(record: OutboundEmail, *, lease: str, error: Exception) -> str:
    attempts = record.attempts + 1
    given_up = attempts >= _setting("OUTBOX_MAX_ATTEMPTS", 12)
    # The class and message of the error only (an SMTP refusal, a missing row): never the email itself.
    logger.warning("Outbox email %s (%s) failed, attempt %s: %r", record.pk, record.key, attempts, error)
    OutboundEmail.objects.filter(pk=record.pk, lease=lease).update(
        attempts=attempts, failed=given_up, lease="", leased_until=None,
        available_at=timezone.now() + _pause(attempts), last_error=f"{error.__class__.__name__}: {error}"[:300],
    )  # fmt: skip
    return "failed" if given_up else "retry"


def deliver_many(ids: Iterable[int]) -> dict[str, int]:
    outcomes: dict[str, int] = {}
    for pk in ids:
        outcome = deliver(pk)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


def due(*, now: datetime.datetime):
    """Emails still owed that no worker holds and that the queue has had its chance to send."""
    requeue = datetime.timedelta(seconds=_setting("OUTBOX_REQUEUE_SECONDS", 180))
    # Never queued (the broker refused it), or queued just now: the queue gets its first chance.
    first_chance = datetime.timedelta(seconds=_setting("OUTBOX_FIRST_CHANCE_SECONDS", 30))
    return (
        OutboundEmail.objects.filter(sent_at__isnull=True, skipped=False, failed=False, available_at__lte=now)
        .filter(Q(leased_until__isnull=True) | Q(leased_until__lt=now))
        .filter(Q(queued_at__isnull=True, created_at__lt=now - first_chance) | Q(queued_at__lt=now - requeue))
        .order_by("created_at", "pk")
    )


def sweep(*, now: datetime.datetime | None = None, limit: int = 5000) -> dict[str, int]:
    """The minute's job: queue again what is still owed, forget what was sent long ago."""
    now = now or timezone.now()
    ids = list(due(now=now).values_list("pk", flat=True)[:limit])
    for start in range(0, len(ids), BATCH):
        queue(ids[start : start + BATCH])
    keep = datetime.timedelta(days=_setting("OUTBOX_KEEP_DAYS", 30))
    # Given-up emails too: what they say (a relayed text) is not kept for ever.
    forgotten, _ = OutboundEmail.objects.filter(
        Q(sent_at__lt=now - keep)
        | Q(skipped=True, created_at__lt=now - keep)
        | Q(failed=True, created_at__lt=now - keep)
    ).delete()
    return {"requeued": len(ids), "forgotten": forgotten}


def drain(*, timeout: float = 300) -> dict[str, int]:
    """Send everything still owed, here and now (an operator after an incident, the chaos test), waiting for
    leases and pauses to run out; returns the outcomes and how many are left (given-up ones stay given up)."""
    import time

    deadline = time.monotonic() + timeout
    totals: dict[str, int] = {}
    waiting = OutboundEmail.objects.filter(sent_at__isnull=True, skipped=False, failed=False)
    while waiting.exists() and time.monotonic() < deadline:
        now = timezone.now()
        free = waiting.filter(available_at__lte=now).filter(Q(leased_until__isnull=True) | Q(leased_until__lt=now))
        ids = list(free.order_by("created_at", "pk").values_list("pk", flat=True)[:BATCH])
        if not ids:
            time.sleep(0.5)
            continue
        for outcome, count in deliver_many(ids).items():
            totals[outcome] = totals.get(outcome, 0) + count
    totals["left"] = waiting.count()
    return totals


def forget_owed(*, addresses: set[str], keys: list[str]) -> int:
    """Emails not sent yet to these addresses (account emails, rendered in advance) or with these keys (relayed
    messages of an erased person): never sent, and what they say wiped now. Returns how many."""
    addresses = {address.lower() for address in addresses}
    waiting = OutboundEmail.objects.filter(sent_at__isnull=True, skipped=False)
    rendered = waiting.exclude(message={}).values_list("pk", "message")
    ids = [pk for pk, message in rendered if addresses & {to.lower() for to in message.get("to", [])}]
    ids += list(waiting.filter(key__in=keys).values_list("pk", flat=True))
    return OutboundEmail.objects.filter(pk__in=ids).update(skipped=True, failed=False, args={}, message={})


def backlog(*, now: datetime.datetime | None = None) -> dict:
    """What the health check reports: emails owed, the oldest one's age, and those given up."""
    now = now or timezone.now()
    waiting = OutboundEmail.objects.filter(sent_at__isnull=True, skipped=False, failed=False)
    oldest = waiting.order_by("created_at").values_list("created_at", flat=True).first()
    return {
        "waiting": waiting.count(),
        "oldest_seconds": round((now - oldest).total_seconds()) if oldest else 0,
        "failed": OutboundEmail.objects.filter(failed=True).count(),
    }
