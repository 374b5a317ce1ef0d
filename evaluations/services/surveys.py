"""Evaluation plans, the schedule that opens, invites, reminds and closes, and answers. Every write is here."""

from __future__ import annotations

import datetime
import math
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.fragment_cache import touch
from courses.outbox import owe_email
from participants.models import SEATED, Cohort, Registration, RegistrationStatus

from ..models import (
    Anchor,
    AnonymousReceipt,
    Delivery,
    Instrument,
    InstrumentKind,
    Question,
    QuestionKind,
    Response,
    Survey,
    Tie,
)

MAX_NUMBER = 10**9


class SurveyError(Exception):
    """A user-facing reason a survey cannot be answered or changed as asked."""


@dataclass(frozen=True)
class PlannedSurvey:
    instrument: str  # the instrument's slug
    anchor: str
    offset_days: int
    local_time: datetime.time
    window_hours: int
    anonymous: bool


def default_plan(*, days: int) -> list[PlannedSurvey]:
    """The house evaluation plan: a needs assessment three weeks before, a short anonymous evaluation at 16:00
    each day, the end-of-session evaluation on the last day, follow-ups about 3, 6 and 12 months after."""
    plan = [PlannedSurvey("needs-assessment", Anchor.START, -21, datetime.time(9), 14 * 24, False)]
    plan += [PlannedSurvey("daily", Anchor.START, day, datetime.time(16), 16, True) for day in range(days)]
    plan.append(PlannedSurvey("end-of-session", Anchor.END, 0, datetime.time(14), 7 * 24, False))
    plan += [PlannedSurvey("follow-up", Anchor.END, days_after, datetime.time(9), 21 * 24, False)
             for days_after in (90, 180, 365)]  # fmt: skip
    return plan


def survey_window(*, session, anchor: str, offset_days: int, local_time: datetime.time,
                  window_hours: int) -> tuple[datetime.datetime, datetime.datetime]:  # fmt: skip
    """When a survey opens and closes: a wall-clock time at the venue (daylight saving included), as UTC."""
    day = (session.start_date if anchor == Anchor.START else session.end_date) + datetime.timedelta(days=offset_days)
    opens = datetime.datetime.combine(day, local_time, tzinfo=zoneinfo.ZoneInfo(session.time_zone))
    return opens.astimezone(datetime.UTC), (opens + datetime.timedelta(hours=window_hours)).astimezone(datetime.UTC)


@transaction.atomic
def attach_default_plan(*, cohort: Cohort) -> list[Survey]:
    """Give a cohort the default plan in one click (then adjust). Raises SurveyError if it has surveys already."""
    cohort = Cohort.objects.select_for_update().select_related("session").get(pk=cohort.pk)
    if cohort.surveys.exists():
        raise SurveyError(_("This cohort already has its evaluation plan."))
    instruments = {instrument.slug: instrument for instrument in Instrument.objects.all()}
    surveys = []
    for planned in default_plan(days=cohort.session.length_in_days):
        instrument = instruments.get(planned.instrument)
        if instrument is None:
            raise SurveyError(_("The default instrument “%(slug)s” is missing.") % {"slug": planned.instrument})
        opens, closes = survey_window(
            session=cohort.session, anchor=planned.anchor, offset_days=planned.offset_days,
            local_time=planned.local_time, window_hours=planned.window_hours,
        )  # fmt: skip
        surveys.append(
            Survey(
                cohort=cohort, instrument=instrument, anchor=planned.anchor, offset_days=planned.offset_days,
                local_time=planned.local_time, window_hours=planned.window_hours, anonymous=planned.anonymous,
                opens_at=opens, closes_at=closes,
            )
        )  # fmt: skip
    created = Survey.objects.bulk_create(surveys)
    touch(*{("cohort", survey.cohort_id) for survey in created})  # bulk_create sends no signal
    return created


@transaction.atomic
def reschedule_survey(*, survey: Survey, anchor: str, offset_days: int, local_time: datetime.time,
                      window_hours: int, by) -> Survey:  # fmt: skip
    """Move a survey's day, time or window; it opens and closes at the venue's wall clock. Raises SurveyError."""
    from django.core.exceptions import ValidationError

    from participants import audit_details
    from participants.models import AuditEntry
    from participants.services import record_audit

    survey = Survey.objects.select_for_update().select_related("cohort__session", "instrument").get(pk=survey.pk)
    if survey.status == Survey.Status.CLOSED:
        raise SurveyError(_("This questionnaire has closed: its timing can no longer change."))
    before = (survey.opens_at, survey.closes_at)
    survey.anchor, survey.offset_days, survey.local_time, survey.window_hours = (
        anchor, offset_days, local_time, window_hours,
    )  # fmt: skip
    try:
        survey.full_clean()
    except ValidationError as error:
        raise SurveyError(" ".join(error.messages)) from error
    survey.opens_at, survey.closes_at = survey_window(
        session=survey.cohort.session, anchor=anchor, offset_days=offset_days, local_time=local_time,
        window_hours=window_hours,
    )  # fmt: skip
    # People were invited when it opened (and may have answered): it cannot go back to waiting.
    if survey.status == Survey.Status.OPEN and survey.opens_at > timezone.now():
        raise SurveyError(
            _("This questionnaire is open already: it cannot open later. Change how long it stays open instead.")
        )
    if (survey.opens_at, survey.closes_at) == before:
        return survey
    survey.save(update_fields=["anchor", "offset_days", "local_time", "window_hours", "opens_at", "closes_at"])
    details = audit_details.survey_timing(
        questionnaire=survey.instrument.title, opens=(before[0], survey.opens_at), closes=(before[1], survey.closes_at)
    )
    record_audit(actor=by, action=AuditEntry.Action.SETTINGS, details=details, cohort_id=survey.cohort_id)
    touch(("survey", survey.pk), ("cohort", survey.cohort_id))
    return survey


# --- The schedule ---


def _who_is_asked(survey: Survey):
    """Follow-ups go to those who attended; before and during the session, to everyone confirmed. Never to an
    erased or closed account."""
    registrations = Registration.objects.filter(cohort=survey.cohort_id, user__is_active=True)
    if survey.instrument.kind == InstrumentKind.FOLLOW_UP:
        return registrations.filter(status=RegistrationStatus.ATTENDED)
    return registrations.filter(status__in=SEATED)


def reminder_times(survey: Survey) -> list[datetime.datetime]:
    """At most two reminders: at a third and at two thirds of the window."""
    span = survey.closes_at - survey.opens_at
    return [survey.opens_at + span * n / 3 for n in (1, 2)][: survey.max_reminders]


def run_schedule(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """The periodic job: open what is due, invite, remind, close. Running it twice sends nothing twice:
    each email is queued with what it is (the invitation, reminder 1 or 2) and sent only if not sent yet."""
    now = now or timezone.now()
    done = {"opened": 0, "invited": 0, "reminded": 0, "closed": 0}
    due_to_open = Survey.objects.filter(status=Survey.Status.SCHEDULED, opens_at__lte=now)
    for survey in due_to_open.select_related("instrument"):
        done["opened"] += _open(survey, now=now)
    for survey in Survey.objects.filter(status=Survey.Status.OPEN, anonymous=False, closes_at__gt=now).select_related(
        "instrument"
    ):
        _add_deliveries(survey)  # people confirmed since it opened are asked too
        invited_now = list(survey.deliveries.filter(invited_at__isnull=True).values_list("pk", flat=True))
        for delivery_id in invited_now:
            done["invited"] += _queue(delivery_id, "invite")
        due = sum(1 for moment in reminder_times(survey) if moment <= now)
        # Someone invited just now (confirmed late) is not reminded in the same breath: from the next run on.
        waiting = _not_answered(survey).filter(reminders_sent__lt=due, invited_at__isnull=False)
        for delivery_id in waiting.exclude(pk__in=invited_now).values_list("pk", flat=True):
            done["reminded"] += _queue(delivery_id, "remind", due)
    closing = Survey.objects.filter(status=Survey.Status.OPEN, closes_at__lte=now)
    closed = list(closing.values_list("pk", "cohort_id"))
    done["closed"] = closing.update(status=Survey.Status.CLOSED)
    touch(*[("survey", pk) for pk, _cohort in closed], *[("cohort", cohort) for _pk, cohort in closed])
    # A day's debrief is for the next morning: one that is more than 12 hours late is not sent at all.
    for survey in Survey.objects.filter(
        instrument__kind=InstrumentKind.DAILY, debrief_sent_at__isnull=True, opens_at__lte=now,
        opens_at__gte=now - datetime.timedelta(days=2),
    ).select_related("cohort__session"):  # fmt: skip
        if debrief_time(survey) <= now < debrief_time(survey) + datetime.timedelta(hours=12) and _owe_debrief(
            survey.pk
        ):
            done["debriefs"] = done.get("debriefs", 0) + 1
    return done


DEBRIEF_AT = datetime.time(21)  # the evening of the day, at the venue: ready for the trainers' morning meeting


def debrief_time(survey: Survey) -> datetime.datetime:
    zone = zoneinfo.ZoneInfo(survey.cohort.session.time_zone)
    day = survey.opens_at.astimezone(zone).date()
    return datetime.datetime.combine(day, DEBRIEF_AT, tzinfo=zone)


@transaction.atomic
def _owe_debrief(survey_id: int) -> bool:
    """Owe the trainers the day's debrief, once (the outbox sends it). False when it was owed already."""
    survey = Survey.objects.select_for_update().get(pk=survey_id)
    if survey.debrief_sent_at is not None:
        return False
    survey.debrief_sent_at = timezone.now()
    survey.save(update_fields=["debrief_sent_at"])
    owe_email(key=f"debrief:{survey.pk}", builder="evaluations.notifications.build_daily_debrief_email",
              args={"survey_id": survey.pk})  # fmt: skip
    return True


@transaction.atomic
def _queue(delivery_id: int, kind: str, number: int = 0) -> bool:
    """Record an invitation or reminder as sent and owe its email in the same transaction; False if not due."""
    delivery = mark_sent(delivery_id=delivery_id, kind=kind, number=number)
    if delivery is None:
        return False
    what = "invite" if kind == "invite" else f"reminder:{delivery.reminders_sent}"
    owe_email(key=f"survey:{delivery.pk}:{what}", builder="evaluations.notifications.build_survey_email",
              args={"delivery_id": delivery.pk, "kind": "invite" if kind == "invite" else "remind"})  # fmt: skip
    return True


def still_asked(*, delivery: Delivery, reminder: bool) -> bool:
    """Whether an email owed for this delivery is still due when it leaves: the questionnaire open, the person
    still among those asked, and (for a reminder) not answered yet."""
    survey = delivery.survey
    if survey.status != Survey.Status.OPEN or not delivery.user.is_active:
        return False
    if not _who_is_asked(survey).filter(user_id=delivery.user_id).exists():
        return False
    answered = Response.objects.filter(survey=survey, respondent_id=delivery.user_id, submitted=True).exists()
    return not (reminder and answered)


@transaction.atomic
def _open(survey: Survey, *, now) -> int:
    survey = Survey.objects.select_for_update().select_related("instrument").get(pk=survey.pk)
    if survey.status != Survey.Status.SCHEDULED:
        return 0
    survey.status = Survey.Status.OPEN if survey.closes_at > now else Survey.Status.CLOSED
    survey.save(update_fields=["status"])
    if not survey.anonymous:
        _add_deliveries(survey)
    return 1


def _add_deliveries(survey: Survey) -> None:
    people = _who_is_asked(survey).exclude(user_id__in=survey.deliveries.values("user_id"))
    Delivery.objects.bulk_create(
        [Delivery(survey=survey, user_id=user_id) for user_id in people.values_list("user_id", flat=True)],
        ignore_conflicts=True,
    )
    touch(("survey", survey.pk))  # who was asked: bulk_create sends no signal


def _not_answered(survey: Survey):
    answered = Response.objects.filter(survey=survey, submitted=True).values("respondent_id")
    return survey.deliveries.exclude(user_id__in=answered)


REMINDER_GAP = datetime.timedelta(hours=12)


def mark_sent(*, delivery_id: int, kind: str, number: int = 0) -> Delivery | None:
    """Record a send before it leaves (inside the caller's transaction); None when it is not due any more.

    kind: "invite"; "remind" with the reminder's number (1 or 2: sent once each, the later one covers a
    missed earlier one); "now" for an organiser's reminder (the next number, within the two). Whether the
    questionnaire is still open is its status, set by the schedule (so a queued email never outlives it).
    """
    delivery = Delivery.objects.select_for_update().select_related("survey__instrument", "user").get(pk=delivery_id)
    survey = delivery.survey
    if survey.status != Survey.Status.OPEN:
        return None
    if not _who_is_asked(survey).filter(user_id=delivery.user_id).exists():
        return None  # cancelled since, or not among those who attended
    now = timezone.now()
    if kind == "invite":
        if delivery.invited_at is not None:
            return None
        delivery.invited_at = now
    else:
        number = delivery.reminders_sent + 1 if kind == "now" else number
        answered = Response.objects.filter(survey=survey, respondent_id=delivery.user_id, submitted=True).exists()
        if answered or number <= delivery.reminders_sent or number > survey.max_reminders:
            return None
        last = delivery.last_reminded_at or delivery.invited_at
        if last is None or (kind == "now" and now - last < REMINDER_GAP):
            return None  # never before the invitation; an organiser's clicks do not spend both reminders at once
        delivery.reminders_sent = number
        delivery.last_reminded_at = now
    delivery.save()
    return delivery


# --- Answers ---


def _clean_answer(question: Question, value, *, cohort_user_ids: set[int]):
    """The answer as stored, or raise SurveyError saying what is wrong with it."""
    empty = value in (None, "", [], {})
    if empty:
        return None
    kind = question.kind
    try:
        if kind == QuestionKind.LIKERT:
            number = int(value)
            if not 1 <= number <= 5:
                raise ValueError
            return number
        if kind == QuestionKind.NUMBER:
            number = float(value) if any(c in str(value) for c in ".eE") else int(str(value)[:20])
            if not math.isfinite(number) or abs(number) > MAX_NUMBER:
                raise ValueError
            return number
        if kind == QuestionKind.SINGLE:
            if str(value) not in {v for v, _label in question.choices()}:
                raise ValueError
            return str(value)
        if kind == QuestionKind.MULTIPLE:
            allowed = {v for v, _label in question.choices()}
            values = [str(v) for v in value]
            if not set(values) <= allowed:
                raise ValueError
            return sorted(set(values), key=int)
        if kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT):
            return str(value).strip()[: 500 if kind == QuestionKind.SHORT_TEXT else 5000] or None
        if kind == QuestionKind.BEFORE_AFTER:
            before, after = int(value["before"]), int(value["after"])
            if not (1 <= before <= 5 and 1 <= after <= 5):
                raise ValueError
            return {"before": before, "after": after}
        if kind == QuestionKind.ACTION_PLAN:
            items = [
                {"action": str(item["action"]).strip()[:300], "status": str(item.get("status", ""))[:20],
                 "note": str(item.get("note", "")).strip()[:300]}
                for item in value if str(item.get("action", "")).strip()
            ]  # fmt: skip
            return items or None
        if kind == QuestionKind.COHORT_MEMBERS:
            ids = sorted({int(v) for v in value})
            if not set(ids) <= cohort_user_ids:
                raise ValueError
            return ids or None
    except (TypeError, ValueError, KeyError, AttributeError) as error:
        raise SurveyError(_("The answer to “%(question)s” is not valid.") % {"question": question.text}) from error
    return None


def clean_answers(*, survey: Survey, data: Mapping, submit: bool, respondent_id: int | None = None) -> dict:
    """Answers keyed by question key; a submission needs every required question. Raises SurveyError."""
    members = set(_who_is_asked(survey).exclude(user_id=respondent_id).values_list("user_id", flat=True))
    answers, missing = {}, []
    for question in survey.instrument.questions.all():
        value = _clean_answer(question, data.get(question.key), cohort_user_ids=members)
        if value is not None:
            answers[question.key] = value
        elif question.required and submit:
            missing.append(question.text)
    if missing:
        raise SurveyError(_("Please answer: %(questions)s") % {"questions": "; ".join(missing)})
    return answers


def venue_date(survey: Survey, *, now=None) -> datetime.date:
    return (now or timezone.now()).astimezone(zoneinfo.ZoneInfo(survey.cohort.session.time_zone)).date()


def check_open(survey: Survey, *, now=None) -> None:
    now = now or timezone.now()
    if now < survey.opens_at:
        raise SurveyError(_("This questionnaire is not open yet."))
    if now >= survey.closes_at or survey.status == Survey.Status.CLOSED:
        raise SurveyError(_("This questionnaire is closed. Thank you for your time."))


@transaction.atomic
def save_response(*, survey: Survey, user, data: Mapping, submit: bool, now=None) -> Response:
    """Save (as a draft) or submit one person's answers to an identified survey, until it closes.
    Raises SurveyError."""
    if survey.anonymous:
        raise SurveyError(_("This questionnaire is anonymous."))
    check_open(survey, now=now)
    response, _created = Response.objects.select_for_update().get_or_create(survey=survey, respondent=user)
    # Once sent, answers can be changed but never left incomplete: a later save is checked like a submission.
    submit = submit or response.submitted
    answers = clean_answers(survey=survey, data=data, submit=submit, respondent_id=user.pk)
    response.answers = answers
    response.updated_at = timezone.now()
    if submit:
        response.submitted = True
        response.submitted_on = response.submitted_on or venue_date(survey, now=now)
    response.save()
    if response.submitted:
        _record_ties(response)
    return response


def _record_ties(response: Response) -> None:
    """The 'with whom' answers of a submitted response become ties (replaced when the answers change)."""
    response.ties.all().delete()
    survey = response.survey
    ties = [
        Tie(reporter_id=response.respondent_id, other_id=user_id, kind=question.tie_kind, cohort_id=survey.cohort_id,
            source=Tie.Source.SURVEY, response=response, reported_on=response.submitted_on)
        for question in survey.instrument.questions.filter(kind=QuestionKind.COHORT_MEMBERS)
        for user_id in response.answers.get(question.key) or []
    ]  # fmt: skip
    Tie.objects.bulk_create(ties)
    touch("network")  # bulk_create sends no signal


@transaction.atomic
def save_anonymous_response(*, survey: Survey, data: Mapping, user=None, now=None) -> Response:
    """Submit an anonymous answer. A signed-in person answers once (a receipt, never linked to the answer).
    Raises SurveyError."""
    if not survey.anonymous:
        raise SurveyError(_("This questionnaire is not anonymous."))
    check_open(survey, now=now)
    answers = clean_answers(survey=survey, data=data, submit=True)
    if user is not None and user.is_authenticated:
        try:
            with transaction.atomic():
                AnonymousReceipt.objects.create(survey=survey, user=user)
        except IntegrityError as error:
            raise SurveyError(_("You have already answered this questionnaire. Thank you.")) from error
    return Response.objects.create(survey=survey, answers=answers, submitted=True)


@transaction.atomic
def remind_now(*, survey: Survey, by) -> int:
    """An organiser reminds everyone who has not answered (within the two reminders). Returns how many."""
    if survey.anonymous:
        raise SurveyError(_("An anonymous questionnaire has no list of people to remind."))
    check_open(survey)
    deliveries = _not_answered(survey).filter(reminders_sent__lt=survey.max_reminders, invited_at__isnull=False)
    return sum(_queue(delivery_id, "now") for delivery_id in deliveries.values_list("pk", flat=True))


def count_remindable(*, survey: Survey, now: datetime.datetime | None = None) -> int:
    """How many people remind_now() would email now (asked, invited, not answered, a reminder left, none in the
    last REMINDER_GAP): the page that asks the organiser to confirm says it."""
    from django.db.models.functions import Coalesce

    if survey.anonymous or survey.status != Survey.Status.OPEN:
        return 0
    since = (now or timezone.now()) - REMINDER_GAP
    deliveries = _not_answered(survey).filter(
        reminders_sent__lt=survey.max_reminders, invited_at__isnull=False,
        user_id__in=_who_is_asked(survey).values("user_id"),
    )  # fmt: skip
    return deliveries.annotate(last=Coalesce("last_reminded_at", "invited_at")).filter(last__lte=since).count()
