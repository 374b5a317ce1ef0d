"""A cohort's settings, changed by an organiser (on their page or in the Django admin): checked, logged, and the
waitlist moved up when the change opened seats."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from courses.models import Sector

from .. import audit_details
from ..models import AuditEntry, Cohort, Registration
from ..selectors import count_seated_by_sector
from .audit import record_audit
from .registrations import _lock, _promote

__all__ = ["COHORT_SETTINGS", "CohortSettingsError", "check_capacity", "update_cohort_settings"]

# What an organiser may change; the session, and when the attendance closed, are set by the system.
COHORT_SETTINGS = (
    "capacity", "target_government", "target_civil_society", "tolerance", "max_per_country",
    "registration_opens", "registration_closes", "auto_confirm", "certificate_days", "certificate_signatories",
)  # fmt: skip


class CohortSettingsError(ValidationError):
    """User-facing reasons, by field, why a cohort's settings cannot change as asked."""


def check_capacity(*, capacity: int | None, seated: int) -> None:
    """Raise CohortSettingsError if `capacity` would leave confirmed people without a seat."""
    if capacity is not None and capacity < seated:
        raise CohortSettingsError(
            {
                "capacity": _(
                    "%(seated)s people are confirmed: the capacity cannot go below that. Move people to the "
                    "waitlist or cancel their registrations first, one by one."
                )
                % {"seated": seated}
            }
        )


def _opens_seats(before: Cohort, after: Cohort) -> bool:
    """More seats, a higher sector ceiling or a looser country cap: someone on the waitlist may now fit."""
    if after.capacity > before.capacity:
        return True
    if any(after.ceiling(sector) > before.ceiling(sector) for sector in Sector.values):
        return True
    if before.max_per_country is not None and (
        after.max_per_country is None or after.max_per_country > before.max_per_country
    ):
        return True
    return False


@transaction.atomic
def update_cohort_settings(*, cohort: Cohort, changes: Mapping, by) -> list[Registration]:
    """Change a cohort's settings (a subset of COHORT_SETTINGS), log who changed what, and offer the seats a
    change opened to the waitlist. Returns who was promoted. Raises CohortSettingsError."""
    unknown = set(changes) - set(COHORT_SETTINGS)
    if unknown:
        raise ValueError(f"Not a cohort setting: {', '.join(sorted(unknown))}")
    cohort = _lock(cohort)
    before = Cohort(**{name: getattr(cohort, name) for name in COHORT_SETTINGS})
    changed = {name: value for name, value in changes.items() if getattr(cohort, name) != value}
    if not changed:
        return []
    for name, value in changed.items():
        setattr(cohort, name, value)
    try:
        cohort.full_clean()  # the fields' validators, clean() and the constraints
    except ValidationError as error:
        raise CohortSettingsError(error.error_dict if hasattr(error, "error_dict") else error.messages) from error
    # Counted under the lock: no one can take a seat between the check and the save.
    check_capacity(capacity=cohort.capacity, seated=sum(count_seated_by_sector(cohort=cohort).values()))
    cohort.save()
    details = audit_details.cohort_settings((name, getattr(before, name), value) for name, value in changed.items())
    record_audit(actor=by, action=AuditEntry.Action.SETTINGS, details=details, cohort_id=cohort.pk)
    # After the session, a seat is no longer worth offering: the attendance is closed and the certificates out.
    if cohort.attendance_closed_at is None and _opens_seats(before, cohort):
        return _promote(cohort)
    return []
