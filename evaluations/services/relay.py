"""Messages relayed between alumni: checks, rate limit, blocks, the log.

The text of a message goes from the form straight into one email: it is never saved, queued or logged. The log
(`RelayedMessage`) keeps who wrote to whom and when, which is also what the rate limit counts.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from courses.l10n import time_zone_name
from courses.models import OutboundEmail
from courses.outbox import deliver, owe_email

from ..models import ContactBlock, RelayedMessage
from ..permissions import can_use_alumni_network, is_alumnus
from ..selectors.alumni import Card, get_card
from ..selectors.relay import is_blocking, name_of

__all__ = [
    "MESSAGE_MAX_LENGTH",
    "MESSAGE_MIN_LENGTH",
    "RelayError",
    "block_sender",
    "check_can_message",
    "clean_message_text",
    "relay_message",
    "relay_reply",
    "unblock_sender",
]

logger = logging.getLogger(__name__)

MESSAGE_MIN_LENGTH = 10
MESSAGE_MAX_LENGTH = 2000
WINDOW = datetime.timedelta(hours=24)


class RelayError(Exception):
    """A user-facing reason a message cannot be relayed now."""


def not_taking_messages(name: str | None = None) -> RelayError:
    # The same words whether the person blocked the sender, turned messages off or left the directory:
    # a sender must never learn that they were blocked.
    if name:
        return RelayError(_("%(name)s is not taking messages at the moment.") % {"name": name})
    return RelayError(_("This person is not taking messages at the moment."))


def clean_message_text(text: str) -> str:
    """The text without surrounding space. Raises RelayError if it is too short or too long."""
    text = (text or "").strip()
    if len(text) < MESSAGE_MIN_LENGTH:
        raise RelayError(
            ngettext(
                "Please write at least %(count)d character.", "Please write at least %(count)d characters.",
                MESSAGE_MIN_LENGTH,
            ) % {"count": MESSAGE_MIN_LENGTH}
        )  # fmt: skip
    if len(text) > MESSAGE_MAX_LENGTH:
        raise RelayError(
            _("Please keep your message under %(limit)s characters (it has %(count)s).")
            % {"limit": formats.number_format(MESSAGE_MAX_LENGTH, force_grouping=True),
               "count": formats.number_format(len(text), force_grouping=True)}
        )  # fmt: skip
    return text


def _when(moment: datetime.datetime) -> str:
    """A moment as the reader's language writes it, rounded up to the minute, with the time zone named."""
    if moment.second or moment.microsecond:
        moment = moment.replace(second=0, microsecond=0) + datetime.timedelta(minutes=1)
    local = timezone.localtime(moment)
    zone = time_zone_name(timezone.get_current_timezone_name(), on=local)
    return f"{formats.date_format(local, 'DATETIME_FORMAT')} ({zone})"


def _next_free(times: list[datetime.datetime], limit: int) -> datetime.datetime:
    """When one of `limit` relays in the window (times ascending) falls out of it."""
    return times[len(times) - limit] + WINDOW


def _check_rate(*, sender, recipient_id: int, recipient_name: str, now: datetime.datetime) -> None:
    """At most ALUMNI_MESSAGES_PER_DAY relays in 24 hours, and ALUMNI_MESSAGES_PER_RECIPIENT_PER_DAY to one person.

    Counted from the log in the database, so that the limit holds whichever app server takes the request.
    """
    per_day = settings.ALUMNI_MESSAGES_PER_DAY
    per_recipient = settings.ALUMNI_MESSAGES_PER_RECIPIENT_PER_DAY
    recent = list(
        RelayedMessage.objects.filter(sender=sender, sent_at__gt=now - WINDOW)
        .order_by("sent_at")
        .values_list("sent_at", "recipient_id")
    )
    times = [sent_at for sent_at, _to in recent]
    if len(times) >= per_day:
        raise RelayError(
            ngettext(
                "You can send %(limit)d message a day. You can send another after %(when)s.",
                "You can send %(limit)d messages a day. You can send another after %(when)s.",
                per_day,
            ) % {"limit": per_day, "when": _when(_next_free(times, per_day))}
        )  # fmt: skip
    to_them = [sent_at for sent_at, to in recent if to == recipient_id]
    if len(to_them) >= per_recipient:
        raise RelayError(
            ngettext(
                "You can send %(limit)d message a day to the same person. You can write to %(name)s again after "
                "%(when)s.",
                "You can send %(limit)d messages a day to the same person. You can write to %(name)s again after "
                "%(when)s.",
                per_recipient,
            ) % {"limit": per_recipient, "name": recipient_name, "when": _when(_next_free(to_them, per_recipient))}
        )  # fmt: skip


def check_can_message(*, sender, recipient_id: int, now: datetime.datetime | None = None) -> Card:
    """The recipient's card if `sender` may write to them now. Raises RelayError with the reason otherwise."""
    if not can_use_alumni_network(sender):
        raise RelayError(_("Only alumni can send messages through the network."))
    card = get_card(user_id=recipient_id)
    if card is None:
        raise not_taking_messages()
    if card.user_id == sender.pk:
        raise RelayError(_("You cannot send a message to yourself."))
    if not card.accepts_messages or is_blocking(blocker_id=card.user_id, blocked_id=sender.pk):
        raise not_taking_messages(card.name)
    _check_rate(sender=sender, recipient_id=card.user_id, recipient_name=card.name, now=now or timezone.now())
    return card


def _lock(user) -> None:
    # One sender's relays run one at a time, so that two at once cannot both pass the rate limit.
    # (SQLite takes the database lock at BEGIN instead: see sqlite_database in settings/env.py.)
    list(get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))


def _owe(message: RelayedMessage, text: str) -> int:
    # The text waits in the outbox until the email leaves, and is wiped from it then (courses.outbox).
    return owe_email(key=f"relay:{message.pk}", builder="evaluations.notifications.build_relayed_message",
                     args={"message_id": message.pk, "text": text}).pk  # fmt: skip


def _send_now(message: RelayedMessage, outbox_id: int) -> RelayedMessage:
    # The writer is waiting at the screen: try at once, after commit and the sender's row lock. A mail server that
    # does not answer leaves it to the outbox, and `sent_now` lets the page say it will leave shortly.
    outcome = deliver(outbox_id)
    message.sent_now = outcome == "sent" or (
        outcome == "busy" and OutboundEmail.objects.filter(pk=outbox_id, sent_at__isnull=False).exists()
    )  # a worker took it first and sent it
    return message


def relay_message(*, sender, recipient_id: int, text: str) -> RelayedMessage:
    """Email `text` to a listed alumnus without showing either address, and log it. Raises RelayError."""
    text = clean_message_text(text)
    with transaction.atomic():
        _lock(sender)
        now = timezone.now()
        card = check_can_message(sender=sender, recipient_id=recipient_id, now=now)
        message = RelayedMessage.objects.create(sender=sender, recipient_id=card.user_id, sent_at=now)
        outbox_id = _owe(message, text)
    return _send_now(message, outbox_id)


def relay_reply(*, replier, message_id: int, text: str) -> RelayedMessage:
    """Email a reply to the person who wrote message `message_id`, showing the replier's address (and only
    theirs), and log it. Raises RelayedMessage.DoesNotExist unless `replier` received that message; RelayError."""
    # Only a first message is answered here: once replied to, the writer has the replier's address.
    original = RelayedMessage.objects.select_related("sender__profile").get(
        pk=message_id, recipient=replier, in_reply_to__isnull=True
    )
    text = clean_message_text(text)
    if not can_use_alumni_network(replier):
        raise RelayError(_("Only alumni can send messages through the network."))
    with transaction.atomic():
        _lock(replier)
        now = timezone.now()
        writer = original.sender
        name = name_of(writer)
        # An alumnus who left the directory or turned messages off gets no more messages, replies included (an
        # organiser who wrote is not in the directory and can be answered).
        if is_alumnus(writer):
            card = get_card(user_id=writer.pk)
            if card is None or not card.accepts_messages:
                raise not_taking_messages(name)
        if not writer.is_active or is_blocking(blocker_id=writer.pk, blocked_id=replier.pk):
            raise not_taking_messages(name)
        _check_rate(sender=replier, recipient_id=writer.pk, recipient_name=name, now=now)
        reply = RelayedMessage.objects.create(sender=replier, recipient=writer, in_reply_to=original, sent_at=now)
        outbox_id = _owe(reply, text)
    return _send_now(reply, outbox_id)


@transaction.atomic
def block_sender(*, blocker, message_id: int) -> ContactBlock:
    """Stop the writer of a message received from sending more; they are not told. Idempotent.
    Raises RelayedMessage.DoesNotExist unless `blocker` received that message."""
    message = RelayedMessage.objects.get(pk=message_id, recipient=blocker)
    block, _created = ContactBlock.objects.get_or_create(blocker=blocker, blocked_id=message.sender_id)
    return block


@transaction.atomic
def unblock_sender(*, blocker, block_id: int) -> ContactBlock:
    """Let a blocked person write again. Raises ContactBlock.DoesNotExist unless `blocker` made that block."""
    block = ContactBlock.objects.select_related("blocked__profile").get(pk=block_id, blocker=blocker)
    block.delete()
    return block
