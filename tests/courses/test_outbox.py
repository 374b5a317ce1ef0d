"""The outbox: an email owed is written with its change, sent once by whoever leases it, never inside a
transaction, retried after a failure, and put back on the queue when a worker or the broker lost it."""

import datetime

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection, transaction
from django.utils import timezone

from courses import outbox
from courses.models import OutboundEmail
from participants.services import invite_person
from tests.factories import CohortFactory, UserFactory

pytestmark = pytest.mark.django_db

SEEN_IN_TRANSACTION: list[bool] = []


class FailingBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("SMTP server unreachable")


class WatchingBackend(BaseEmailBackend):
    """Delivers to mail.outbox and notes whether a transaction was open while it did (a lock may be held)."""

    def send_messages(self, email_messages):
        SEEN_IN_TRANSACTION.append(connection.in_atomic_block)
        mail.outbox.extend(email_messages)
        return len(email_messages)


def invite(cohort, email="amal@example.org"):
    return invite_person(cohort=cohort, email=email, intended_sector="government", invited_by=UserFactory())


def test_a_change_rolled_back_owes_nothing_and_one_committed_owes_its_email_once(mailoutbox):
    cohort = CohortFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        invite(cohort)
        raise RuntimeError("the import failed further on")
    assert not OutboundEmail.objects.exists()
    invitation = invite(cohort)
    owed = OutboundEmail.objects.get()
    assert owed.key == f"invitation:{invitation.pk}:1" and owed.sent_at is None
    from participants.notifications import owe_invitation_email

    owe_invitation_email(invitation)  # the same change again (a retried job): still one
    assert OutboundEmail.objects.count() == 1


def test_an_email_leased_by_one_worker_is_not_sent_by_another_until_the_lease_runs_out(mailoutbox, settings):
    invite(CohortFactory())
    owed = OutboundEmail.objects.get()
    now = timezone.now()
    assert outbox._claim(owed.pk, now=now) is not None  # worker A takes it, then is killed
    assert outbox.deliver(owed.pk) == "busy" and mailoutbox == []  # worker B must not send it too
    assert outbox.due(now=now).count() == 0
    later = now + datetime.timedelta(seconds=settings.OUTBOX_LEASE_SECONDS + settings.OUTBOX_REQUEUE_SECONDS + 1)
    OutboundEmail.objects.update(queued_at=now, leased_until=now + datetime.timedelta(seconds=120))
    assert list(outbox.due(now=later).values_list("pk", flat=True)) == [owed.pk]  # the sweeper will queue it
    OutboundEmail.objects.update(leased_until=now - datetime.timedelta(seconds=1))
    assert outbox.deliver(owed.pk) == "sent" and len(mailoutbox) == 1
    assert outbox.deliver(owed.pk) == "busy" and len(mailoutbox) == 1


def test_a_failed_send_is_kept_tried_again_after_a_pause_and_given_up_after_the_last_attempt(settings):
    settings.EMAIL_BACKEND = "tests.courses.test_outbox.FailingBackend"
    settings.OUTBOX_MAX_ATTEMPTS = 3
    invite(CohortFactory())
    owed = OutboundEmail.objects.get()
    assert outbox.deliver(owed.pk) == "retry"
    owed.refresh_from_db()
    assert owed.attempts == 1 and owed.lease == "" and "SMTP server unreachable" in owed.last_error
    assert owed.available_at > timezone.now() + datetime.timedelta(seconds=20)
    assert outbox.deliver(owed.pk) == "busy"  # not before its pause is over
    for expected in ("retry", "failed"):
        OutboundEmail.objects.update(available_at=timezone.now())
        assert outbox.deliver(owed.pk) == expected
    assert outbox.backlog() == {"waiting": 0, "oldest_seconds": 0, "failed": 1}


def test_every_attempt_carries_the_same_message_id(mailoutbox, settings):
    invite(CohortFactory())
    owed = OutboundEmail.objects.get()
    settings.EMAIL_BACKEND = "tests.courses.test_outbox.FailingBackend"
    outbox.deliver(owed.pk)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    OutboundEmail.objects.update(available_at=timezone.now())
    outbox.deliver(owed.pk)
    assert mailoutbox[0].extra_headers["Message-ID"] == owed.message_id
    assert owed.message_id.startswith("<outbox.") and owed.message_id.endswith("@attache.example.org>")


def test_an_email_no_longer_due_when_its_turn_comes_is_skipped(mailoutbox):
    from participants.models import Invitation

    invitation = invite(CohortFactory())
    Invitation.objects.filter(pk=invitation.pk).update(status=Invitation.Status.DECLINED)
    assert outbox.deliver(OutboundEmail.objects.get().pk) == "skipped"
    assert mailoutbox == [] and outbox.backlog()["waiting"] == 0


def test_a_broker_that_is_down_loses_nothing_and_the_sweeper_queues_it_later(settings, mailoutbox, monkeypatch):
    import django_q.tasks

    def broker_down(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(django_q.tasks, "async_task", broker_down)  # django-q2's, not ours: the broker is down
    cohort = CohortFactory()
    with transaction.atomic():
        invite(cohort)
    outbox.queue(OutboundEmail.objects.values_list("pk", flat=True))  # what the commit would have done
    owed = OutboundEmail.objects.get()
    assert owed.queued_at is None and mailoutbox == []
    monkeypatch.undo()
    assert outbox._broker_down_until > 0  # this process leaves the broker alone for a while (the sweeper sends)
    outbox._broker_down_until = 0.0  # ...and the broker is back
    assert outbox.sweep()["requeued"] == 0  # the queue still has its first chance
    OutboundEmail.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=1))
    assert outbox.sweep()["requeued"] == 1  # sync in tests: sent at once
    assert len(mailoutbox) == 1 and outbox.backlog()["waiting"] == 0


def test_sent_emails_are_forgotten_after_the_keeping_period(mailoutbox, settings):
    invite(CohortFactory())
    owed = OutboundEmail.objects.get()
    outbox.deliver(owed.pk)
    assert outbox.sweep()["forgotten"] == 0
    OutboundEmail.objects.update(sent_at=timezone.now() - datetime.timedelta(days=settings.OUTBOX_KEEP_DAYS + 1))
    assert outbox.sweep()["forgotten"] == 1


@pytest.mark.django_db(transaction=True)
def test_no_email_leaves_while_a_transaction_is_open(settings):
    """Registration changes, invitations and relayed messages are sent after commit, never under a row lock."""
    from evaluations.services import relay_message
    from participants.services import register
    from tests.factories import alumnus, person

    settings.EMAIL_BACKEND = "tests.courses.test_outbox.WatchingBackend"
    SEEN_IN_TRANSACTION.clear()
    cohort = CohortFactory()
    invite(cohort)
    register(cohort=cohort, user=person())
    past = CohortFactory()
    relay_message(sender=alumnus(past), recipient_id=alumnus(past).pk, text="Shall we meet about referrals?")
    assert len(SEEN_IN_TRANSACTION) == 3 and not any(SEEN_IN_TRANSACTION)
    assert OutboundEmail.objects.filter(sent_at__isnull=False).count() == 3


def test_a_mail_server_that_is_down_does_not_stop_a_sign_up(client, settings):
    settings.EMAIL_BACKEND = "tests.courses.test_outbox.FailingBackend"
    response = client.post(
        "/en/accounts/signup/",
        {"email": "newcomer@example.org", "password1": "a-long-pass-2026", "password2": "a-long-pass-2026"},
    )
    assert response.status_code == 302
    owed = OutboundEmail.objects.get()
    assert owed.key.startswith("account:email_confirmation") and owed.sent_at is None and owed.attempts == 1
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    OutboundEmail.objects.update(available_at=timezone.now())
    assert outbox.drain(timeout=5) == {"sent": 1, "left": 0}
    assert mail.outbox[0].to == ["newcomer@example.org"] and OutboundEmail.objects.get().message == {}


def test_an_administrator_sees_the_outbox_without_its_contents_and_tries_given_up_emails_again(client, settings):
    from evaluations.services import relay_message
    from tests.factories import alumnus

    settings.EMAIL_BACKEND = "tests.courses.test_outbox.FailingBackend"
    settings.OUTBOX_MAX_ATTEMPTS = 1
    past = CohortFactory()
    relay_message(sender=alumnus(past), recipient_id=alumnus(past).pk, text="A private word about a case.")
    owed = OutboundEmail.objects.get()
    assert owed.failed and owed.args["text"] == "A private word about a case."
    admin = UserFactory(is_staff=True, is_superuser=True)
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(admin, generate_totp_secret())
    client.force_login(admin)
    listing = client.get("/django-admin/courses/outboundemail/")
    assert listing.status_code == 200 and owed.key in listing.text
    detail = client.get(f"/django-admin/courses/outboundemail/{owed.pk}/change/")
    assert detail.status_code == 200 and "A private word" not in listing.text + detail.text
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    response = client.post("/django-admin/courses/outboundemail/",
                           {"action": "try_again", "_selected_action": [owed.pk]})  # fmt: skip
    assert response.status_code == 302
    owed.refresh_from_db()
    assert owed.sent_at is not None and not owed.failed and len(mail.outbox) == 1


def test_an_email_whose_row_was_deleted_is_skipped_not_tried_for_hours(mailoutbox):
    from participants.models import RegistrationEvent
    from participants.services import register
    from tests.factories import person

    with transaction.atomic():
        registration = register(cohort=CohortFactory(), user=person())
    RegistrationEvent.objects.filter(registration=registration).delete()
    owed = OutboundEmail.objects.get()
    assert outbox.deliver(owed.pk) == "skipped" and mailoutbox == []


def test_an_account_email_a_day_old_is_not_sent(mailoutbox):
    from django.core.mail import EmailMessage

    owed = outbox.owe_email(key="account:password_reset_key:x", message=EmailMessage("Reset", "link", to=["a@b.org"]))
    OutboundEmail.objects.update(created_at=timezone.now() - datetime.timedelta(days=2))
    assert outbox.deliver(owed.pk) == "skipped" and mailoutbox == []


def test_erasure_stops_what_is_owed_to_the_person_and_wipes_it(settings, mailoutbox):
    from django.core.mail import EmailMessage

    from attache.personal_data import erase
    from evaluations.services import relay_message
    from tests.factories import alumnus

    settings.EMAIL_BACKEND = "tests.courses.test_outbox.FailingBackend"
    past = CohortFactory()
    writer, reader = alumnus(past), alumnus(past)
    relay_message(sender=writer, recipient_id=reader.pk, text="Something said in confidence.")
    with transaction.atomic():
        outbox.owe_email(key="account:code:1", message=EmailMessage("Code", "123456", to=[writer.email.upper()]))
    erase(user=writer)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    OutboundEmail.objects.update(available_at=timezone.now())
    assert outbox.drain(timeout=5)["left"] == 0 and mailoutbox == []
    assert list(OutboundEmail.objects.values_list("skipped", "args", "message")) == [(True, {}, {})] * 2


def test_a_message_from_someone_blocked_since_is_not_delivered(settings, mailoutbox):
    from evaluations.models import ContactBlock
    from evaluations.services import relay_message
    from tests.factories import alumnus

    settings.EMAIL_BACKEND = "tests.courses.test_outbox.FailingBackend"
    past = CohortFactory()
    writer, reader = alumnus(past), alumnus(past)
    relay_message(sender=writer, recipient_id=reader.pk, text="Please answer me about the referral.")
    ContactBlock.objects.create(blocker=reader, blocked=writer)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    OutboundEmail.objects.update(available_at=timezone.now())
    assert outbox.deliver(OutboundEmail.objects.get().pk) == "skipped" and mailoutbox == []


def test_a_mail_server_that_fails_after_accepting_the_email_does_not_get_it_twice(settings, mailoutbox):
    settings.EMAIL_BACKEND = "tests.courses.test_outbox.QuitFailsBackend"
    invite(CohortFactory())
    assert outbox.deliver(OutboundEmail.objects.get().pk) == "sent" and len(mailoutbox) == 1


class QuitFailsBackend(WatchingBackend):
    """Accepts the message, then the connection breaks at QUIT."""

    def close(self):
        raise ConnectionResetError("the server hung up after accepting the message")
