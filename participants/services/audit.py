"""The audit trail of personal data: who viewed it (at most one entry per person, page and 10 minutes), what the
people themselves asked for, and the daily clean-up of what is no longer needed."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from .. import audit_details
from ..models import AuditEntry, ExportRecord, Invitation, InvitationStatus

__all__ = ["forget_old_audit_entries", "purge_unanswered_invitations", "record_audit", "record_view"]

logger = logging.getLogger(__name__)

VIEW_WINDOW_SECONDS = 600


def record_audit(*, actor, action: str, details: dict, cohort_id: int | None = None, subject=None) -> AuditEntry:
    """One entry; `details` comes from participants.audit_details (data, put into words when read)."""
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None, action=action, details=details,
        cohort_id=cohort_id, subject=subject,
    )  # fmt: skip


def record_view(*, actor, details: dict, key: str, cohort_id: int | None = None, subject=None) -> None:
    """That `actor` saw the personal data on page `key`: one entry per person and page in VIEW_WINDOW_SECONDS
    (a page watched during a deadline is reloaded every minute; the trail says who looked, and when)."""
    try:
        first = cache.add(f"audit-view:{actor.pk}:{key}", 1, VIEW_WINDOW_SECONDS)
    except Exception:  # the cache is down: log every view rather than none
        logger.warning("Audit de-duplication unavailable", exc_info=True)
        first = True
    if first:
        record_audit(
            actor=actor, action=AuditEntry.Action.VIEWED, details=details, cohort_id=cohort_id, subject=subject
        )


def forget_old_audit_entries(*, now: datetime.datetime | None = None) -> int:
    """Audit entries and export records older than AUDIT_RETENTION_DAYS (a daily job). Returns how many went."""
    before = (now or timezone.now()) - datetime.timedelta(days=settings.AUDIT_RETENTION_DAYS)
    # An erasure's entry is the proof that it was done: kept for as long as the account row.
    entries, _ = AuditEntry.objects.filter(at__lt=before).exclude(action=AuditEntry.Action.ERASED).delete()
    exports, _ = ExportRecord.objects.filter(created_at__lt=before).delete()
    return entries + exports


@transaction.atomic
def purge_unanswered_invitations(*, now: datetime.datetime | None = None) -> int:
    """Invitations never accepted (not answered, declined or withdrawn) whose link expired more than
    INVITATION_PURGE_DAYS ago: their addresses and names go (a daily job). Returns how many."""
    before = (now or timezone.now()) - datetime.timedelta(days=settings.INVITATION_PURGE_DAYS)
    old = Invitation.objects.filter(expires_at__lt=before, registration__isnull=True).exclude(
        status=InvitationStatus.ACCEPTED
    )
    count = 0
    for cohort_id in set(old.values_list("cohort_id", flat=True)):
        deleted, _ = old.filter(cohort_id=cohort_id).delete()
        count += deleted
        AuditEntry.objects.create(action=AuditEntry.Action.PURGED, details=audit_details.purged(count=deleted),
                                  cohort_id=cohort_id)  # fmt: skip
    return count
