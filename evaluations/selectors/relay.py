"""Reads for the messages relayed between alumni: the log of each person's messages, their blocks."""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from ..models import ContactBlock, RelayedMessage
from .alumni import as_alumni_see

__all__ = [
    "get_received_message",
    "is_blocking",
    "list_blocks",
    "list_messages_received",
    "list_messages_sent",
    "name_of",
]


def _person(user):
    """The other person as the alumni pages show them (the directory's rule), never with their email address."""
    return as_alumni_see(user, unnamed=_("Someone from the alumni network"))


def name_of(user) -> str:
    """The name other alumni see: preferred name, else the passport name; never the email address."""
    profile = getattr(user, "profile", None)
    name = (profile.preferred_name or profile.full_name) if profile is not None else ""
    return name or _("Someone from the alumni network")


def get_received_message(*, user, message_id: int, first_only: bool = False) -> RelayedMessage:
    """A message `user` received (only a first message, not a reply, with `first_only`), with its writer.
    Raises RelayedMessage.DoesNotExist for anyone else's."""
    messages = RelayedMessage.objects.select_related("sender__profile").filter(recipient=user)
    if first_only:
        messages = messages.filter(in_reply_to__isnull=True)
    return messages.get(pk=message_id)


def list_messages_sent(*, user) -> list[RelayedMessage]:
    """What the person sent (messages and replies), newest first, each with the other person's `name`;
    `answered` when they replied."""
    answered = RelayedMessage.objects.filter(in_reply_to=OuterRef("pk"), sender=OuterRef("recipient"))
    sent = list(
        RelayedMessage.objects.filter(sender=user)
        .select_related("recipient__profile__organisation", "recipient__listing")
        .annotate(answered=Exists(answered))
    )
    for message in sent:
        message.person = _person(message.recipient)
        message.name = message.person.name
    return sent


def list_messages_received(*, user) -> list[RelayedMessage]:
    """What the person received, newest first, each with the writer's `name`; `answered` when they replied,
    `blocked` when they block the writer now."""
    answered = RelayedMessage.objects.filter(in_reply_to=OuterRef("pk"), sender=user)
    blocked = ContactBlock.objects.filter(blocker=user, blocked=OuterRef("sender"))
    received = list(
        RelayedMessage.objects.filter(recipient=user)
        .select_related("sender__profile__organisation", "sender__listing")
        .annotate(answered=Exists(answered), blocked=Exists(blocked))
    )
    for message in received:
        message.person = _person(message.sender)
        message.name = message.person.name
    return received


def list_blocks(*, user) -> list[ContactBlock]:
    """The people this person blocks, most recent first, each with their `name`."""
    blocks = list(
        ContactBlock.objects.filter(blocker=user)
        .select_related("blocked__profile__organisation", "blocked__listing")
        .order_by("-created_at", "-pk")
    )
    for block in blocks:
        block.person = _person(block.blocked)
        block.name = block.person.name
    return blocks


def is_blocking(*, blocker_id: int, blocked_id: int) -> bool:
    """Whether one person blocks another now."""
    return ContactBlock.objects.filter(blocker_id=blocker_id, blocked_id=blocked_id).exists()
