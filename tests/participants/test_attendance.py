"""Attendance: one record per person per day, only during the session, only by its trainers or organisers;
badge check-in; corrections with a reason; attended / no-show and alumni after the last day."""

import datetime
import zoneinfo

import pytest
from django.contrib.auth.models import Group
from django.db import IntegrityError

from courses.permissions import ORGANISERS, TRAINERS
from participants import services
from participants.models import (
    Attendance,
    AttendanceChange,
    Registration,
    RegistrationEvent,
    RegistrationStatus,
)
from participants.permissions import ALUMNI
from participants.selectors import certificate_days_needed, get_attendance_matrix, list_sessions_for_trainer
from participants.tokens import make_check_in_token
from tests.factories import CohortFactory, UserFactory, make_session, person

pytestmark = pytest.mark.django_db

FIRST = datetime.date(2027, 5, 3)  # a 5-day session, 3 to 7 May 2027, in Amman (UTC+3)


def at(day: int, hour: int = 10, zone: str = "Asia/Amman") -> datetime.datetime:
    """A moment on day `day` (1 = first) of the session, at the venue."""
    return datetime.datetime.combine(
        FIRST + datetime.timedelta(days=day - 1), datetime.time(hour), tzinfo=zoneinfo.ZoneInfo(zone)
    )


@pytest.fixture
def cohort(trainer):
    session = make_session("amman-attendance", start_date=FIRST, end_date=FIRST + datetime.timedelta(days=4),
                           time_zone="Asia/Amman")  # fmt: skip
    session.trainers.add(trainer)
    session.save()  # a page's many-to-many is written when the page is saved
    return CohortFactory(session=session)


def seat(cohort, sector="government", country="TH", **fields) -> Registration:
    return Registration.objects.create(
        cohort=cohort, user=person(sector, country, **fields), sector=sector, country=country,
        status=RegistrationStatus.CONFIRMED,
    )  # fmt: skip


def test_a_trainer_records_one_attendance_per_person_per_day(cohort, trainer):
    registration = seat(cohort)
    services.record_attendance(registration=registration, date=FIRST, status="late", by=trainer, now=at(1))
    services.record_attendance(registration=registration, date=FIRST, status="present", by=trainer, now=at(1))
    assert list(Attendance.objects.values_list("date", "status")) == [(FIRST, "present")]
    changes = AttendanceChange.objects.filter(registration=registration).order_by("id")
    assert [(c.from_status, c.to_status) for c in changes] == [("", "late"), ("late", "present")]
    with pytest.raises(IntegrityError):
        Attendance.objects.create(registration=registration, date=FIRST, status="absent")


def test_the_same_tap_sent_twice_is_recorded_and_logged_once(cohort, trainer):
    registration = seat(cohort)
    for _retry in range(2):
        services.record_attendance(registration=registration, date=FIRST, status="present", by=trainer, now=at(1))
    assert Attendance.objects.count() == 1
    assert AttendanceChange.objects.count() == 1


def test_attendance_is_taken_only_on_the_sessions_days_and_not_ahead(cohort, trainer):
    registration = seat(cohort)
    with pytest.raises(services.AttendanceError, match="not a day of this session"):
        services.record_attendance(
            registration=registration, date=FIRST - datetime.timedelta(days=1), status="present", by=trainer,
            now=at(1),
        )  # fmt: skip
    with pytest.raises(services.AttendanceError, match="on that day"):
        services.record_attendance(
            registration=registration, date=FIRST + datetime.timedelta(days=1), status="present", by=trainer,
            now=at(1),
        )  # fmt: skip
    # Earlier days of a running session can still be filled in.
    services.record_attendance(registration=registration, date=FIRST, status="present", by=trainer, now=at(3))
    with pytest.raises(services.AttendanceError, match="session is over"):
        services.record_attendance(registration=registration, date=FIRST, status="absent", by=trainer, now=at(6))


def test_the_day_follows_the_venues_time_zone(cohort, trainer):
    registration = seat(cohort)
    # 22:30 UTC on 2 May is already 01:30 on 3 May in Amman: the first day has begun there.
    now = datetime.datetime(2027, 5, 2, 22, 30, tzinfo=datetime.UTC)
    services.record_attendance(registration=registration, date=FIRST, status="present", by=trainer, now=now)
    assert services.session_today(cohort.session, now=now) == FIRST


def test_only_the_sessions_trainers_and_organisers_take_attendance(cohort):
    registration = seat(cohort)
    other_trainer = UserFactory(groups=[TRAINERS])
    for outsider in (other_trainer, registration.user, UserFactory()):
        with pytest.raises(services.AttendanceError, match="trainers"):
            services.record_attendance(registration=registration, date=FIRST, status="present", by=outsider,
                                       now=at(1))  # fmt: skip
    organiser = UserFactory(groups=[ORGANISERS])
    services.record_attendance(registration=registration, date=FIRST, status="present", by=organiser, now=at(1))
    assert Attendance.objects.get().recorded_by == organiser


def test_only_confirmed_participants_have_attendance(cohort, trainer):
    registration = seat(cohort)
    Registration.objects.filter(pk=registration.pk).update(status=RegistrationStatus.WAITLISTED)
    with pytest.raises(services.AttendanceError, match="confirmed"):
        services.record_attendance(registration=registration, date=FIRST, status="present", by=trainer, now=at(1))


# --- The badge's QR code ---


def test_a_badge_scanned_by_a_trainer_marks_today_present(cohort, trainer):
    registration = seat(cohort)
    token = make_check_in_token(registration)
    scanned, record, already = services.check_in(token=token, by=trainer, now=at(2, hour=8))
    assert (scanned, record.date, record.status, already) == (registration, FIRST + datetime.timedelta(1), "present",
                                                              False)  # fmt: skip
    assert AttendanceChange.objects.get().via == AttendanceChange.Via.SCAN
    _scanned, _record, already = services.check_in(token=token, by=trainer, now=at(2, hour=9))
    assert already
    assert Attendance.objects.count() == 1


@pytest.mark.parametrize("case", ["tampered", "truncated", "other session", "not a trainer", "participant"])
def test_a_badge_refusal_reveals_nothing(cohort, trainer, case):
    registration = seat(cohort)
    token = make_check_in_token(registration)
    by = trainer
    if case == "tampered":
        token = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    elif case == "truncated":
        token = token[:10]
    elif case == "other session":
        other = CohortFactory()
        other_trainer = UserFactory(groups=[TRAINERS])
        other.session.trainers.add(other_trainer)
        other.session.save()
        by = other_trainer
    elif case == "not a trainer":
        by = UserFactory(groups=[TRAINERS])
    elif case == "participant":
        by = registration.user
    with pytest.raises(services.AttendanceError) as refusal:
        services.check_in(token=token, by=by, now=at(1))
    assert str(refusal.value) == "This badge cannot be checked in here."
    assert not Attendance.objects.exists()


def test_a_badge_of_one_cohort_does_not_check_in_to_another(cohort, trainer):
    """A valid token names its cohort: a registration moved to another cohort is not checked in by the old badge."""
    registration = seat(cohort)
    token = make_check_in_token(registration)
    Registration.objects.filter(pk=registration.pk).update(cohort=CohortFactory())
    with pytest.raises(services.AttendanceError):
        services.check_in(token=token, by=trainer, now=at(1))


# --- Corrections, close, alumni ---


def test_an_organiser_corrects_attendance_with_a_reason_that_is_logged(cohort, trainer):
    registration = seat(cohort)
    organiser = UserFactory(groups=[ORGANISERS])
    with pytest.raises(services.AttendanceError, match="Only organisers"):
        services.correct_attendance(registration=registration, date=FIRST, status="present", by=trainer,
                                    reason="Signed the paper sheet")  # fmt: skip
    with pytest.raises(services.AttendanceError, match="why"):
        services.correct_attendance(registration=registration, date=FIRST, status="present", by=organiser,
                                    reason="  ")  # fmt: skip
    services.correct_attendance(registration=registration, date=FIRST, status="excused", by=organiser,
                                reason="Medical certificate")  # fmt: skip
    change = AttendanceChange.objects.get()
    assert (change.via, change.to_status, change.reason, change.actor) == (
        "correction", "excused", "Medical certificate", organiser,
    )  # fmt: skip


def test_after_the_last_day_registrations_become_attended_or_no_show_and_attendees_alumni(cohort, trainer):
    came, never, excused = seat(cohort), seat(cohort), seat(cohort)
    services.record_attendance(registration=came, date=FIRST, status="late", by=trainer, now=at(1))
    services.record_attendance(registration=never, date=FIRST, status="absent", by=trainer, now=at(1))
    services.record_attendance(registration=excused, date=FIRST, status="excused", by=trainer, now=at(1))
    with pytest.raises(services.AttendanceError, match="after the last day"):
        services.close_attendance(cohort=cohort, now=at(5, hour=20))
    assert services.close_attendance(cohort=cohort, now=at(6)) == {"attended": 1, "no_show": 2}
    statuses = dict(Registration.objects.values_list("pk", "status"))
    assert statuses == {came.pk: "attended", never.pk: "no_show", excused.pk: "no_show"}
    alumni = set(Group.objects.get(name=ALUMNI).user_set.all())
    assert alumni == {came.user}
    # Closing again changes nothing and logs nothing more.
    events = RegistrationEvent.objects.count()
    services.close_attendance(cohort=cohort, now=at(7))
    assert RegistrationEvent.objects.count() == events


def test_a_correction_after_closing_turns_a_no_show_into_an_alumnus(cohort, trainer):
    registration = seat(cohort)
    services.record_attendance(registration=registration, date=FIRST, status="absent", by=trainer, now=at(1))
    services.close_attendance(cohort=cohort, now=at(6))
    organiser = UserFactory(groups=[ORGANISERS])
    services.correct_attendance(registration=registration, date=FIRST, status="present", by=organiser,
                                reason="Was in the room; the trainer missed her")  # fmt: skip
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.ATTENDED
    assert registration.user.groups.filter(name=ALUMNI).exists()
    assert registration.events.last().reason == "Was in the room; the trainer missed her"


def test_only_attendees_are_told_when_the_session_closes(
    cohort, trainer, mailoutbox, django_capture_on_commit_callbacks
):
    came, _never = seat(cohort), seat(cohort)
    services.record_attendance(registration=came, date=FIRST, status="present", by=trainer, now=at(1))
    with django_capture_on_commit_callbacks(execute=True):
        services.close_attendance(cohort=cohort, now=at(6))
    assert [message.to for message in mailoutbox] == [[came.user.email]]


def test_the_daily_job_closes_finished_sessions_whose_attendance_was_taken(cohort, trainer):
    registration = seat(cohort)
    untaken = CohortFactory(session=make_session("paper-only", start_date=FIRST,
                                                 end_date=FIRST + datetime.timedelta(days=4)))  # fmt: skip
    seat(untaken)
    services.record_attendance(registration=registration, date=FIRST, status="present", by=trainer, now=at(1))
    assert services.close_finished_sessions(now=at(5, hour=23)) == []
    assert services.close_finished_sessions(now=at(6)) == [cohort.pk]
    assert services.close_finished_sessions(now=at(7)) == []  # once only
    untaken.refresh_from_db()
    assert untaken.attendance_closed_at is None  # sheets on paper: left to an organiser


# --- Certificates and the matrix ---


def test_the_certificate_needs_every_day_unless_the_cohort_says_otherwise(cohort, trainer):
    full, four, three = seat(cohort), seat(cohort), seat(cohort)
    for day in range(1, 6):
        date = FIRST + datetime.timedelta(days=day - 1)
        services.record_attendance(registration=full, date=date, status="present" if day != 2 else "late",
                                   by=trainer, now=at(day))  # fmt: skip
        services.record_attendance(registration=four, date=date, status="present" if day != 5 else "absent",
                                   by=trainer, now=at(day))  # fmt: skip
        services.record_attendance(registration=three, date=date, status="present" if day <= 3 else "excused",
                                   by=trainer, now=at(day))  # fmt: skip
    assert certificate_days_needed(cohort=cohort) == 5

    def certified():
        return {row["registration"].pk for row in get_attendance_matrix(cohort=cohort)["rows"] if row["certified"]}

    assert certified() == {full.pk}
    cohort.certificate_days = 4
    cohort.save()
    assert certified() == {full.pk, four.pk}
    cohort.certificate_days = 9  # more than the session has: every day
    cohort.save()
    assert certified() == {full.pk}


def test_the_trainers_sessions_are_running_upcoming_or_past(trainer):
    import django.utils.timezone as tz

    today = tz.localdate()
    specs = {"running": today - datetime.timedelta(days=1), "upcoming": today + datetime.timedelta(days=30),
             "past": today - datetime.timedelta(days=60)}  # fmt: skip
    for key, start in specs.items():
        session = make_session(f"s-{key}", start_date=start, end_date=start + datetime.timedelta(days=4))
        session.trainers.add(trainer)
        session.save()
        CohortFactory(session=session)
    CohortFactory()  # not theirs
    groups = list_sessions_for_trainer(user=trainer)
    assert {key: [c.session.slug for c in cohorts] for key, cohorts in groups.items()} == {
        "running": ["s-running"], "upcoming": ["s-upcoming"], "past": ["s-past"],
    }  # fmt: skip


def test_a_tap_kept_offline_does_not_overwrite_what_another_trainer_recorded_since(cohort, trainer):
    registration = seat(cohort)
    colleague = UserFactory(groups=[TRAINERS])
    cohort.session.trainers.add(colleague)
    cohort.session.save()
    # The first trainer saw no status and tapped "absent" while offline; meanwhile the colleague recorded "present".
    services.record_attendance(registration=registration, date=FIRST, status="present", by=colleague, now=at(1))
    with pytest.raises(services.AttendanceError, match="Meanwhile someone else recorded “Present”"):
        services.record_attendance(registration=registration, date=FIRST, status="absent", by=trainer, now=at(1),
                                   expected="")  # fmt: skip
    # Their own retried tap (what they saw is still there, or it is already what they asked) goes through.
    services.record_attendance(registration=registration, date=FIRST, status="late", by=trainer, now=at(1),
                               expected="present")  # fmt: skip
    services.record_attendance(registration=registration, date=FIRST, status="late", by=trainer, now=at(1),
                               expected="present")  # fmt: skip
    assert Attendance.objects.get().status == "late"


def test_a_trainer_removed_from_the_trainers_group_loses_the_session(cohort, trainer):
    registration = seat(cohort)
    trainer.groups.clear()
    trainer = type(trainer).objects.get(pk=trainer.pk)  # roles are cached on the user object
    with pytest.raises(services.AttendanceError):
        services.record_attendance(registration=registration, date=FIRST, status="present", by=trainer, now=at(1))
