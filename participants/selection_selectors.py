"""Reads for calls for applications and applications."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from .models import Answer, Application, ApplicationStatus, Call


def list_open_calls(*, now=None) -> QuerySet[Call]:
    """Published calls taking applications now, the nearest deadline first."""
    now = now or timezone.now()
    return (
        Call.objects.filter(published=True, opens_at__lte=now, deadline__gt=now)
        .select_related("cohort__session")
        .order_by("deadline", "pk")
    )


def get_public_call(*, pk: int) -> Call | None:
    """A published call, open or not (its page says when it is closed)."""
    return Call.objects.filter(pk=pk, published=True).select_related("cohort__session").first()


def list_applications_of(*, user) -> QuerySet[Application]:
    return Application.objects.filter(user=user).select_related("call__cohort__session").order_by("-created_at")


def get_application_of(*, user, call: Call) -> Application | None:
    return Application.objects.filter(user=user, call=call).first()


def get_answers(*, application: Application) -> dict[int, Answer]:
    """The answers of an application by question id."""
    return {answer.question_id: answer for answer in Answer.objects.filter(application=application)}


def list_call_applications(*, call: Call) -> QuerySet[Application]:
    """A call's applications for its organisers, submitted ones first."""
    return (
        Application.objects.filter(call=call)
        .select_related("user__profile__organisation")
        .order_by("status", "submitted_at", "pk")
    )


def count_call_applications(*, call: Call) -> dict[str, int]:
    counts = Application.objects.filter(call=call).aggregate(
        total=Count("pk"), submitted=Count("pk", filter=~Q(status=ApplicationStatus.DRAFT))
    )
    return counts


# --- Nominations ---


def nominating_organisations(*, call: Call) -> dict[int, str]:
    """The organisation that nominated each nominated applicant of a call, by application id."""
    from .models import Nomination

    return dict(
        Nomination.objects.filter(call=call, application__isnull=False, withdrawn_at__isnull=True).values_list(
            "application_id", "link__organisation_name"
        )
    )


def list_nomination_links(*, call: Call) -> QuerySet:
    """A call's nomination links for its organisers, each with how many people it nominated (not withdrawn) and
    how many of them submitted an application."""
    from .models import NominationLink

    active = Q(nominations__withdrawn_at__isnull=True)
    sent = ~Q(nominations__application__status__in=[ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN])
    return (
        NominationLink.objects.filter(call=call)
        .annotate(
            nominated=Count("nominations", filter=active),
            submitted=Count("nominations", filter=active & Q(nominations__application__isnull=False) & sent),
        )
        .order_by(F("revoked_at").asc(nulls_first=True), "organisation_name", "pk")
    )


NOMINATION_STATES = ("asked", "started", "submitted", "withdrawn")


def nomination_state(nomination) -> str:
    """What a focal point may know of a nomination: one of NOMINATION_STATES, never the answers or the outcome."""
    application = nomination.application
    if nomination.withdrawn_at is not None or (application and application.status == ApplicationStatus.WITHDRAWN):
        return "withdrawn"
    if application is None:
        return "asked"
    return "started" if application.status == ApplicationStatus.DRAFT else "submitted"


def list_link_nominations(*, link) -> list:
    """The nominations made through one link (and no other), each with its `state`."""
    nominations = list(link.nominations.select_related("application").order_by("created_at", "pk"))
    for nomination in nominations:
        nomination.state = nomination_state(nomination)
    return nominations


# --- Scores ---

DISAGREEMENT = 1.5  # reviewers whose scores of one application lie this far apart (on 1–5) disagree


@dataclass(frozen=True)
class ApplicationScore:
    """What the reviewers made of one application. `score` is the mean of the reviewers' weighted scores (each
    reviewer's: their marks weighted by the criteria's weights), None until someone has scored it; a reviewer who
    declared a conflict of interest counts in `conflicts`, never in the score."""

    application_id: int
    score: float | None
    by_reviewer: dict[int, float]
    assigned: int
    conflicts: int

    @property
    def scored(self) -> int:
        return len(self.by_reviewer)

    @property
    def spread(self) -> float | None:
        """The highest reviewer's score less the lowest; None with fewer than two scores."""
        values = list(self.by_reviewer.values())
        return max(values) - min(values) if len(values) > 1 else None

    @property
    def disagreement(self) -> bool:
        return self.spread is not None and self.spread >= DISAGREEMENT


def application_scores(*, call: Call) -> dict[int, ApplicationScore]:
    """Every application of a call that has been assigned to a reviewer, by id, with its scores (two queries)."""
    from .models import Review, Score

    marks: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    rows = Score.objects.filter(
        review__application__call=call, review__submitted_at__isnull=False, review__conflict=False
    ).values_list("review__application_id", "review__reviewer_id", "value", "criterion__weight")
    for application_id, reviewer_id, value, weight in rows:
        marks[application_id, reviewer_id].append((value, weight))
    by_application: dict[int, dict[int, float]] = defaultdict(dict)
    for (application_id, reviewer_id), pairs in marks.items():
        total_weight = sum(weight for _value, weight in pairs)
        by_application[application_id][reviewer_id] = sum(value * weight for value, weight in pairs) / total_weight
    counts = (
        Review.objects.filter(application__call=call)
        .values("application_id")
        .annotate(assigned=Count("pk"), conflicts=Count("pk", filter=Q(conflict=True)))
    )
    result = {}
    for row in counts:
        reviewers = by_application.get(row["application_id"], {})
        score = sum(reviewers.values()) / len(reviewers) if reviewers else None
        result[row["application_id"]] = ApplicationScore(
            application_id=row["application_id"], score=score, by_reviewer=dict(reviewers),
            assigned=row["assigned"], conflicts=row["conflicts"],
        )  # fmt: skip
    return result
