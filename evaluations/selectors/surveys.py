"""Reads for evaluations: plans, rates, who has not answered, a person's own action plan."""

from __future__ import annotations

from django.db.models import Count

from participants.models import SEATED, Registration
from participants.people import person_of

from ..models import InstrumentKind, Question, QuestionKind, Response, Survey


def list_not_answered(*, survey: Survey) -> list:
    """People asked who have not submitted (identified surveys only), each with their `person` as the cohort's
    pages show them, by what is printed."""
    answered = Response.objects.filter(survey=survey, submitted=True).values("respondent_id")
    deliveries = list(survey.deliveries.exclude(user_id__in=answered).select_related("user__profile__organisation"))
    nationality = dict(
        Registration.objects.filter(cohort=survey.cohort_id, user_id__in=[d.user_id for d in deliveries]).values_list(
            "user_id", "country"
        )
    )
    for delivery in deliveries:
        delivery.person = person_of(delivery.user, country=nationality.get(delivery.user_id))
    return sorted(deliveries, key=lambda delivery: delivery.person.sort_key)


def list_questions(*, survey: Survey) -> list[Question]:
    return list(survey.instrument.questions.all().order_by("sort_order", "id"))


def get_response(*, survey: Survey, user) -> Response | None:
    return Response.objects.filter(survey=survey, respondent=user).first()


def get_carried_action_plan(*, survey: Survey, user) -> list[dict]:
    """A follow-up shows the person's own action plan back: from their latest follow-up, else from the
    end-of-session evaluation of the same cohort."""
    earlier = (
        Response.objects.filter(
            respondent=user,
            survey__cohort=survey.cohort_id,
            survey__instrument__kind__in=[InstrumentKind.END_OF_SESSION, InstrumentKind.FOLLOW_UP],
            survey__opens_at__lt=survey.opens_at,
            submitted=True,
        )
        .select_related("survey__instrument")
        .order_by("-survey__opens_at")
    )
    for response in earlier:
        for question in response.survey.instrument.questions.all():
            if question.kind == QuestionKind.ACTION_PLAN and response.answers.get(question.key):
                return response.answers[question.key]
    return []


def list_cohort_members(*, survey: Survey, exclude_user_id: int | None) -> list[Registration]:
    """The people of the cohort a respondent may name in a 'with whom' question (never themself)."""
    from participants.models import RegistrationStatus

    # After the session, only those who came: nobody worked with a no-show of the training.
    statuses = [RegistrationStatus.ATTENDED] if survey.instrument.kind == InstrumentKind.FOLLOW_UP else SEATED
    registrations = list(
        Registration.objects.filter(cohort=survey.cohort_id, status__in=statuses)
        .exclude(user_id=exclude_user_id)
        .select_related("user__profile__organisation")
    )
    for registration in registrations:
        registration.person = person_of(registration.user, country=registration.country, native_name=False)
        registration.name = registration.person.name
    registrations.sort(key=lambda r: r.person.sort_key)
    return registrations


def list_open_for(*, user) -> list[Survey]:
    """The identified questionnaires open now that this person is asked to answer, each with its link path."""
    from django.urls import reverse
    from django.utils import timezone

    from ..tokens import make_token

    now = timezone.now()
    surveys = list(
        Survey.objects.filter(
            deliveries__user=user, status=Survey.Status.OPEN, opens_at__lte=now, closes_at__gt=now, anonymous=False
        )
        .select_related("instrument", "cohort__session")
        .order_by("closes_at")
    )
    answered = set(
        Response.objects.filter(respondent=user, survey__in=surveys, submitted=True).values_list("survey_id", flat=True)
    )
    for survey in surveys:
        survey.answered = survey.pk in answered
        survey.link = reverse("evaluations:respond", kwargs={"token": make_token(survey_id=survey.pk, user_id=user.pk)})
    return surveys


# --- Results ---


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


def _fits(kind: str, value) -> bool:
    """An answer of the shape its question's kind stores. A question edited after answers came in (another
    kind, say) leaves answers of another shape: they are left out of the figures rather than break them."""
    if kind in (QuestionKind.LIKERT, QuestionKind.NUMBER):
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind == QuestionKind.BEFORE_AFTER:
        return isinstance(value, dict) and all(isinstance(value.get(k), int) for k in ("before", "after"))
    if kind in (QuestionKind.MULTIPLE, QuestionKind.COHORT_MEMBERS):
        return isinstance(value, list)
    if kind == QuestionKind.ACTION_PLAN:
        return isinstance(value, list) and all(isinstance(item, dict) for item in value)
    return isinstance(value, str)


def summarise_question(question: Question, answers: list[dict], *, anonymous: bool) -> dict:
    """The figures of one question over the submitted answers: counts, means, changes, texts."""
    values = [
        a[question.key]
        for a in answers
        if a.get(question.key) not in (None, "", []) and _fits(question.kind, a[question.key])
    ]
    summary = {"question": question, "kind": question.kind, "n": len(values)}
    kind = question.kind
    if kind == QuestionKind.LIKERT:
        summary["counts"] = [(str(point), sum(1 for v in values if v == point)) for point in range(1, 6)]
        summary["mean"] = _mean(values)
    elif kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        chosen = [v for value in values for v in (value if isinstance(value, list) else [value])]
        summary["counts"] = [(label, chosen.count(code)) for code, label in question.choices()]
    elif kind == QuestionKind.NUMBER:
        ordered = sorted(values)
        summary.update(mean=_mean(values), minimum=ordered[0] if ordered else None,
                       maximum=ordered[-1] if ordered else None,
                       median=ordered[len(ordered) // 2] if ordered else None)  # fmt: skip
    elif kind == QuestionKind.BEFORE_AFTER:
        before, after = [v["before"] for v in values], [v["after"] for v in values]
        summary.update(before=_mean(before), after=_mean(after))
        summary["change"] = round(summary["after"] - summary["before"], 2) if values else None
        summary["improved"] = sum(1 for v in values if v["after"] > v["before"])
    elif kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT):
        # Anonymous texts are sorted, not in the order they came: the order could point at who wrote them.
        summary["texts"] = sorted(values, key=str.casefold) if anonymous else values
    elif kind == QuestionKind.ACTION_PLAN:
        items = [item for value in values for item in value]
        summary["actions"] = len(items)
        # What people committed to (and, in a follow-up, where it stands), without who: sorted, like free text.
        summary["texts"] = sorted(
            (str(item.get("action", "")) + (f" — {item['note']}" if item.get("note") else "") for item in items),
            key=str.casefold,
        )
        summary["statuses"] = [(code, sum(1 for item in items if item.get("status") == code))
                               for code in ("done", "in_progress", "not_started", "blocked")]  # fmt: skip
    elif kind == QuestionKind.COHORT_MEMBERS:
        summary["named"] = sum(len(value) for value in values)
        summary["mean"] = _mean([len(value) for value in values])
    return summary


# An anonymous questionnaire's answers are shown only once there are this many: with fewer, whoever saw one
# person answer could tell which answer is theirs.
ANONYMITY_MINIMUM = 5


def withheld(survey: Survey, answered: int) -> bool:
    return survey.anonymous and answered < ANONYMITY_MINIMUM


def get_survey_results(*, survey: Survey) -> dict:
    """Everything the results page shows for one survey, in three queries whatever the number of answers."""
    questions = list_questions(survey=survey)
    answers = list(Response.objects.filter(survey=survey, submitted=True).values_list("answers", flat=True))
    if survey.anonymous:
        asked = Registration.objects.filter(cohort=survey.cohort_id, status__in=SEATED).count()
    else:
        asked = survey.deliveries.count()
    hidden = withheld(survey, len(answers))
    return {
        "answered": len(answers),
        "asked": asked,
        "rate": round(100 * len(answers) / asked) if asked else None,
        "withheld": hidden,
        "minimum": ANONYMITY_MINIMUM,
        "questions": [] if hidden else [summarise_question(q, answers, anonymous=survey.anonymous) for q in questions],
    }


def get_cohort_summaries(*, cohorts) -> dict[int, dict]:
    """Each cohort's questionnaires (with `asked`, `answered`, `rate`) and its evaluation at a glance, by
    Kirkpatrick level: reaction (satisfaction), learning (self-rated
    change), behaviour (action plans carried out), results (people of the cohort worked with since).
    Five queries for any number of cohorts, questionnaires and answers."""
    from collections import defaultdict

    from ..models import Level

    by_id = {cohort.pk: cohort for cohort in cohorts}
    cohort_ids = list(by_id)
    surveys = list(
        Survey.objects.filter(cohort_id__in=cohort_ids)
        .select_related("instrument")
        .annotate(asked_count=Count("deliveries"))
        .order_by("opens_at", "id")
    )
    questions = defaultdict(list)
    for question in Question.objects.filter(instrument_id__in={s.instrument_id for s in surveys}).order_by(
        "sort_order", "id"
    ):
        questions[question.instrument_id].append(question)
    answers = defaultdict(list)
    for survey_id, answer in Response.objects.filter(survey__in=[s.pk for s in surveys], submitted=True).values_list(
        "survey_id", "answers"
    ):
        answers[survey_id].append(answer)
    seated = dict(
        Registration.objects.filter(cohort_id__in=cohort_ids, status__in=SEATED)
        .values("cohort_id")
        .annotate(n=Count("id"))
        .values_list("cohort_id", "n")
    )
    summaries = {}
    for cohort_id in cohort_ids:
        levels = {level: {"level": level, "label": label, "figures": []} for level, label in Level.choices}
        likert: dict[str, list[float]] = {}
        changes: dict[str, list[float]] = {}
        actions = {"done": 0, "in_progress": 0, "not_started": 0, "blocked": 0}
        named_by_survey: dict[int, int] = {}
        mine = [s for s in surveys if s.cohort_id == cohort_id]
        for survey in mine:
            survey.cohort = by_id[cohort_id]  # as given, session and all: each survey's `occasion` reads it
            survey.answered = len(answers[survey.pk])
            # Nobody is asked before a questionnaire opens.
            if survey.status == Survey.Status.SCHEDULED:
                survey.asked = 0
            else:
                survey.asked = seated.get(cohort_id, 0) if survey.anonymous else survey.asked_count
            survey.rate = round(100 * survey.answered / survey.asked) if survey.asked else None
            level = survey.instrument.level
            if withheld(survey, survey.answered):
                continue
            for question in questions[survey.instrument_id]:
                item = summarise_question(question, answers[survey.pk], anonymous=survey.anonymous)
                if item["kind"] == QuestionKind.LIKERT and item["mean"] is not None:
                    likert.setdefault(level, []).append(item["mean"])
                elif item["kind"] == QuestionKind.BEFORE_AFTER and item["change"] is not None:
                    changes.setdefault(question.text, []).append(item["change"])
                elif item["kind"] == QuestionKind.ACTION_PLAN and survey.instrument.kind == InstrumentKind.FOLLOW_UP:
                    # The latest follow-up with answers says where the plans stand (an action done at 3 months
                    # is done again at 6): later ones replace earlier ones, they never add up.
                    actions = dict(item["statuses"]) if item["n"] else actions
                elif item["kind"] == QuestionKind.COHORT_MEMBERS and item["n"]:
                    named_by_survey[survey.pk] = named_by_survey.get(survey.pk, 0) + item["named"]
        for level, means in likert.items():
            levels[level]["figures"].append(("likert", _mean(means)))
        levels[Level.LEARNING]["changes"] = [(text, _mean(values)) for text, values in changes.items()]
        levels[Level.BEHAVIOUR]["actions"] = actions if any(actions.values()) else None
        # People named in the latest follow-up that has answers (the network as it stands, not a running sum).
        levels[Level.RESULTS]["named"] = list(named_by_survey.values())[-1] if named_by_survey else 0
        summaries[cohort_id] = {"surveys": mine, "levels": list(levels.values())}
    return summaries


def get_cohort_summary(*, cohort) -> dict:
    return get_cohort_summaries(cohorts=[cohort])[cohort.pk]


def get_programme_trend(*, programme) -> list[dict]:
    """Each cohort of a programme's sessions, oldest first: satisfaction, self-rated change, follow-up answers."""
    from courses.models import SessionPage
    from participants.models import Cohort

    cohorts = list(
        Cohort.objects.filter(session__in=SessionPage.objects.child_of(programme))
        .select_related("session")
        .order_by("session__start_date")
    )
    summaries = get_cohort_summaries(cohorts=cohorts)
    rows = []
    for cohort in cohorts:
        summary = summaries[cohort.pk]
        levels = {level["level"]: level for level in summary["levels"]}
        reaction = levels["reaction"]["figures"]
        changes = [change for _text, change in levels["learning"].get("changes", []) if change is not None]
        follow_ups = [
            s for s in summary["surveys"] if s.instrument.kind == InstrumentKind.FOLLOW_UP and s.rate is not None
        ]
        rows.append({
            "cohort": cohort,
            "satisfaction": reaction[0][1] if reaction else None,
            "change": _mean(changes),
            "follow_up_rate": round(sum(s.rate for s in follow_ups) / len(follow_ups)) if follow_ups else None,
        })  # fmt: skip
    return rows


def get_open_anonymous_survey(*, cohort_id: int, now=None) -> Survey | None:
    """The anonymous questionnaire of the room open now (the day's evaluation), if any."""
    from django.utils import timezone

    now = now or timezone.now()
    return (
        Survey.objects.filter(
            cohort_id=cohort_id, anonymous=True, status=Survey.Status.OPEN, opens_at__lte=now, closes_at__gt=now
        )  # fmt: skip
        .order_by("-opens_at")
        .first()
    )


def get_next_anonymous_survey(*, cohort_id: int, now=None) -> Survey | None:
    from django.utils import timezone

    return (
        Survey.objects.filter(cohort_id=cohort_id, anonymous=True, opens_at__gt=now or timezone.now())
        .select_related("cohort__session")
        .order_by("opens_at")
        .first()
    )
