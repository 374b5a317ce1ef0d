"""Attendance: one record per participant per day, taken by the session's trainers while it runs,
corrected afterwards by organisers with a reason; and the close of a session, when registrations become
attended or no-show and attendees join the alumni."""

from __future__ import annotations

import datetime
import zoneinfo

from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from courses.permissions import is_organiser, is_trainer

from ..models import (
    ATTENDED_DAY,
    SEATED,
    Attendance,
    AttendanceChange,
    AttendanceStatus,
    Cohort,
    Registration,
    RegistrationEvent,
    RegistrationStatus,
)
from ..permissions import ALUMNI
from ..tokens import InvalidToken, read_check_in_token
from .registrations import _lock, _set_status

__all__ = [
    "AttendanceError",
    "sync_alumni_group",
    "session_today",
    "session_days",
    "is_trainer_of",
    "may_take_attendance",
    "record_attendance",
    "check_in",
    "correct_attendance",
    "close_attendance",
    "close_finished_sessions",
    "sync_alumni",
]


class AttendanceError(Exception):
    """A user-facing reason attendance cannot be recorded as asked."""


def session_today(session, *, now: datetime.datetime | None = None) -> datetime.date:
    """Today's date at the venue: a session in Bangkok starts its day before one in Amman."""
    return (now or timezone.now()).astimezone(zoneinfo.ZoneInfo(session.time_zone)).date()


def session_days(session) -> list[datetime.date]:
    return [session.start_date + datetime.timedelta(days=n) for n in range(session.length_in_days)]


def is_trainer_of(user, session) -> bool:
    """Assigned to the session and still in the Trainers group (removing someone from it ends their access)."""
    if not is_trainer(user):
        return False
    return session.trainers.filter(pk=user.pk).exists()


def may_take_attendance(user, session) -> bool:
    return is_organiser(user) or is_trainer_of(user, session)


def _check_day(session, date: datetime.date, *, now=None) -> None:
    if not session.start_date <= date <= session.end_date:
        raise AttendanceError(_("%(date)s is not a day of this session.") % {"date": date_format(date, "DATE_FORMAT")})
    today = session_today(session, now=now)
    if date > today:
        raise AttendanceError(_("Attendance for %(date)s can be taken on that day.") % {"date": date_format(date)})
    if today > session.end_date:
        raise AttendanceError(_("The session is over: an organiser can correct attendance, with a reason."))


def _write(registration: Registration, date, status: str, *, by, via: str, reason: str = "",
           expected: str | None = None) -> Attendance:  # fmt: skip
    try:
        with transaction.atomic():
            record, created = Attendance.objects.select_for_update().get_or_create(
                registration=registration, date=date, defaults={"status": status, "recorded_by": by}
            )
    except IntegrityError:  # two taps on the same person at the same moment: the other one created the row
        record, created = Attendance.objects.select_for_update().get(registration=registration, date=date), False
    previous = "" if created else record.status
    if not created and expected is not None and previous not in (expected, status):
        # A tap kept offline must not overwrite what another trainer recorded since the tapper saw the list.
        raise AttendanceError(
            _("Meanwhile someone else recorded “%(status)s”. Check it and tap again if needed.")
            % {"status": AttendanceStatus(previous).label}
        )
    if not created:
        if previous == status and via != AttendanceChange.Via.CORRECTION:
            return record  # a retried tap: nothing changed, nothing to log
        record.status = status
        record.recorded_by = by
        record.save(update_fields=["status", "recorded_by", "recorded_at"])
    AttendanceChange.objects.create(
        registration=registration, date=date, from_status=previous, to_status=status, via=via, actor=by,
        reason=reason,
    )  # fmt: skip
    return record


@transaction.atomic
def record_attendance(
    *, registration: Registration, date: datetime.date, status: str, by, via: str = AttendanceChange.Via.TAP,
    now=None, expected: str | None = None,
) -> Attendance:  # fmt: skip
    """Record one person's attendance for one day, by a trainer of the session or an organiser, while the
    session runs. `expected` is the status the trainer saw ('' for none): if another has changed it since, the
    tap is refused rather than overwriting. Raises AttendanceError."""
    if status not in AttendanceStatus.values:
        raise AttendanceError(_("Unknown attendance status."))
    registration = Registration.objects.select_related("cohort__session").get(pk=registration.pk)
    session = registration.cohort.session
    if not may_take_attendance(by, session):
        raise AttendanceError(_("Only this session's trainers and the organisers take its attendance."))
    if registration.status != RegistrationStatus.CONFIRMED:
        raise AttendanceError(_("Only confirmed participants have attendance."))
    _check_day(session, date, now=now)
    return _write(registration, date, status, by=by, via=via, expected=expected)


def check_in(*, token: str, by, now=None) -> tuple[Registration, Attendance, bool]:
    """A badge's QR code, opened by a trainer of its session: today's attendance becomes 'present'.

    Returns (registration, record, already) where `already` says the person was checked in before.
    Raises AttendanceError with one message for every refusal, so that a refusal reveals nothing.
    """
    refusal = AttendanceError(_("This badge cannot be checked in here."))
    try:
        registration_id, cohort_id = read_check_in_token(token)
    except InvalidToken as error:
        raise refusal from error
    registration = (
        Registration.objects.select_related("cohort__session", "user__profile")
        .filter(pk=registration_id, cohort_id=cohort_id)
        .first()
    )
    if registration is None or not may_take_attendance(by, registration.cohort.session):
        raise refusal
    session = registration.cohort.session
    today = session_today(session, now=now)
    existing = Attendance.objects.filter(registration=registration, date=today).first()
    if existing is not None and existing.status in ATTENDED_DAY:
        return registration, existing, True
    record = record_attendance(
        registration=registration, date=today, status=AttendanceStatus.PRESENT, by=by,
        via=AttendanceChange.Via.SCAN, now=now,
    )  # fmt: skip
    return registration, record, False


@transaction.atomic
def correct_attendance(*, registration: Registration, date: datetime.date, status: str, by,
                       reason: str) -> Attendance:  # fmt: skip
    """An organiser corrects a day's attendance at any time, with a reason that is logged; after the session
    is closed the registration's attended / no-show follows. Raises AttendanceError."""
    if not is_organiser(by):
        raise AttendanceError(_("Only organisers correct attendance."))
    if not reason.strip():
        raise AttendanceError(_("Say why the attendance is corrected."))
    if status not in AttendanceStatus.values:
        raise AttendanceError(_("Unknown attendance status."))
    cohort = _lock(Cohort.objects.select_related("session").get(registrations=registration))
    registration = Registration.objects.get(pk=registration.pk)
    if registration.status not in SEATED:
        raise AttendanceError(_("Only confirmed participants have attendance."))
    session = cohort.session
    if not session.start_date <= date <= session.end_date:
        raise AttendanceError(_("%(date)s is not a day of this session.") % {"date": date_format(date, "DATE_FORMAT")})
    record = _write(registration, date, status, by=by, via=AttendanceChange.Via.CORRECTION, reason=reason.strip())
    if cohort.attendance_closed_at is not None:
        _settle(registration, by=by, reason=reason.strip())
    return record


def _settle(registration: Registration, *, by=None, reason: str = "") -> bool:
    """Attended if the person came at least one day, else no-show. Returns True when the status changed."""
    came = registration.attendance.filter(status__in=ATTENDED_DAY).exists()
    status = RegistrationStatus.ATTENDED if came else RegistrationStatus.NO_SHOW
    if registration.status == status:
        return False
    # Attendees are told they joined the alumni (with their certificate); a no-show gets no email.
    _set_status(registration, status, kind=RegistrationEvent.Kind.ATTENDANCE, actor=by, reason=reason,
                notify=status == RegistrationStatus.ATTENDED)  # fmt: skip
    sync_alumni(user=registration.user)
    return True


@transaction.atomic
def close_attendance(*, cohort: Cohort, by=None, now=None) -> dict[str, int]:
    """After the last day: every seated registration becomes attended or no-show; attendees become alumni.

    Idempotent (closing twice changes nothing). Raises AttendanceError before the session has ended.
    """
    cohort = _lock(cohort)
    session = cohort.session
    if session_today(session, now=now) <= session.end_date:
        raise AttendanceError(
            _("Attendance can be closed after the last day, %(date)s.") % {"date": date_format(session.end_date)}
        )
    counts = {RegistrationStatus.ATTENDED: 0, RegistrationStatus.NO_SHOW: 0}
    for registration in Registration.objects.filter(cohort=cohort, status__in=SEATED).select_related("user"):
        _settle(registration, by=by)
        counts[registration.status] += 1
    if cohort.attendance_closed_at is None:
        cohort.attendance_closed_at = timezone.now()
        cohort.save(update_fields=["attendance_closed_at", "updated_at"])
    return {"attended": counts[RegistrationStatus.ATTENDED], "no_show": counts[RegistrationStatus.NO_SHOW]}


def close_finished_sessions(*, now=None) -> list[int]:
    """The daily job: close every cohort whose session has ended and whose attendance was taken.

    A cohort with no attendance at all is left for an organiser: perhaps the sheets were on paper, and
    closing it would turn everyone into a no-show.
    """
    closed = []
    candidates = Cohort.objects.filter(attendance_closed_at__isnull=True).select_related("session")
    for cohort in candidates.filter(session__end_date__lt=(now or timezone.now()).date() + datetime.timedelta(days=1)):
        if session_today(cohort.session, now=now) <= cohort.session.end_date:
            continue
        if not Attendance.objects.filter(registration__cohort=cohort).exists():
            continue
        close_attendance(cohort=cohort, now=now)
        closed.append(cohort.pk)
    return closed


def sync_alumni(*, user) -> bool:
    """A person who attended a session is in the Alumni group, and only they. Returns membership."""
    group, _created = Group.objects.get_or_create(name=ALUMNI)
    alumnus = Registration.objects.filter(user=user, status=RegistrationStatus.ATTENDED).exists()
    if alumnus:
        user.groups.add(group)
    else:
        user.groups.remove(group)
    return alumnus


def sync_alumni_group() -> tuple[int, int]:
    """The whole Alumni group matches attendance (a daily safety net for changes made outside the services,
    such as the admin). Returns (added, removed). The alumni space's pages are private to this group."""
    group, _created = Group.objects.get_or_create(name=ALUMNI)
    should = set(
        Registration.objects.filter(status=RegistrationStatus.ATTENDED, user__is_active=True)
        .values_list("user_id", flat=True)
        .distinct()
    )
    now = set(group.user_set.values_list("pk", flat=True))
    group.user_set.add(*(should - now))
    group.user_set.remove(*(now - should))
    return len(should - now), len(now - should)
