"""Reads for the review of applications: what a reviewer is given, each reviewer's progress, and the scores table
of a call for its organisers (the scores themselves come from selection_selectors.application_scores)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from .models import Application, Call, CallReviewer, Review
from .services.reviews import REVIEWABLE

_REVIEWABLE = Q(application__status__in=REVIEWABLE)


def _progress():
    return {
        "assigned": Count("pk", filter=_REVIEWABLE),
        "scored": Count("pk", filter=_REVIEWABLE & Q(conflict=False, submitted_at__isnull=False)),
        "conflicts": Count("pk", filter=_REVIEWABLE & Q(conflict=True)),
    }


def list_calls_to_review(*, user) -> list[CallReviewer]:
    """The calls given to a reviewer, the nearest deadline first, each with `assigned`, `scored` and `conflicts`."""
    links = list(
        CallReviewer.objects.filter(user=user).select_related("call__cohort__session").order_by("call__deadline")
    )
    counts = {
        row["application__call_id"]: row
        for row in Review.objects.filter(reviewer=user, application__call__in=[link.call_id for link in links])
        .values("application__call_id").annotate(**_progress())
    }  # fmt: skip
    for link in links:
        row = counts.get(link.call_id, {})
        link.assigned, link.scored, link.conflicts = (row.get(key, 0) for key in ("assigned", "scored", "conflicts"))
        link.to_do = link.assigned - link.scored - link.conflicts
    return links


def get_call_to_review(*, user, pk: int) -> Call | None:
    """A call, for a reviewer it is given to; None for anyone else (organisers included)."""
    return Call.objects.filter(pk=pk, reviewers__user=user).select_related("cohort__session").first()


def list_reviews_of(*, user, call: Call) -> QuerySet[Review]:
    """A reviewer's reviews of a call's sent applications, those still to do first."""
    return (
        Review.objects.filter(reviewer=user, application__call=call, application__status__in=REVIEWABLE)
        .select_related("application__user__profile__organisation")
        .order_by("conflict", "submitted_at", "application__submitted_at", "pk")
    )


def get_own_review(*, user, pk: int) -> Review | None:
    """A review for the reviewer it is assigned to, while they review its call and the application is sent; None
    otherwise (nobody else learns that it exists)."""
    return (
        Review.objects.filter(
            pk=pk, reviewer=user, application__status__in=REVIEWABLE, application__call__reviewers__user=user
        )  # fmt: skip
        .select_related("application__call__cohort__session", "application__user__profile__organisation")
        .first()
    )


def list_reviewers_of(*, call: Call) -> list[CallReviewer]:
    """A call's reviewers with their progress (`assigned`, `scored`, `conflicts`, `to_do`), by when they were added."""
    links = list(CallReviewer.objects.filter(call=call).select_related("user__profile__organisation").order_by("pk"))
    counts = {
        row["reviewer_id"]: row
        for row in Review.objects.filter(application__call=call).values("reviewer_id").annotate(**_progress())
    }
    for link in links:
        row = counts.get(link.user_id, {})
        link.assigned, link.scored, link.conflicts = (row.get(key, 0) for key in ("assigned", "scored", "conflicts"))
        link.to_do = link.assigned - link.scored - link.conflicts
    return links


@dataclass
class ScoreRow:
    application: Application
    score: object  # selection_selectors.ApplicationScore, or None when nobody was given it
    # One per reviewer of the table: ("score", 3.4), ("conflict",), ("to_do",) or ("none",): not given it.
    cells: list = field(default_factory=list)

    @property
    def disagreement(self) -> bool:
        return bool(self.score and self.score.disagreement)

    @property
    def not_scored(self) -> int:
        return sum(1 for cell in self.cells if cell[0] == "to_do")


def call_scores_table(*, call: Call) -> tuple[list, list[ScoreRow]]:
    """The reviewers (each with their person) and a row per sent application: each reviewer's score, a conflict
    or a review still to do; the best mean first, applications without a score last."""
    from django.contrib.auth import get_user_model

    from .people import person_of
    from .selection_selectors import application_scores

    scores = application_scores(call=call)
    states = {}
    reviewer_ids = set(CallReviewer.objects.filter(call=call).values_list("user_id", flat=True))
    for application_id, reviewer_id, conflict, submitted_at in Review.objects.filter(
        application__call=call
    ).values_list("application_id", "reviewer_id", "conflict", "submitted_at"):
        states[application_id, reviewer_id] = "conflict" if conflict else ("scored" if submitted_at else "to_do")
        reviewer_ids.add(reviewer_id)  # a reviewer taken off the call keeps the column of the scores they gave
    users = get_user_model().objects.filter(pk__in=reviewer_ids).select_related("profile__organisation")
    reviewers = sorted((person_of(user, native_name=False) for user in users), key=lambda person: person.sort_key)
    applications = list(
        Application.objects.filter(call=call, status__in=REVIEWABLE).select_related("user__profile__organisation")
    )
    rows = []
    for application in applications:
        application.person = person_of(application.user, native_name=True)
        score = scores.get(application.pk)
        cells = []
        for reviewer in reviewers:
            state = states.get((application.pk, reviewer.pk), "none")
            if state == "scored" and score and reviewer.pk in score.by_reviewer:
                cells.append(("score", score.by_reviewer[reviewer.pk]))
            else:
                cells.append((state,))
        rows.append(ScoreRow(application=application, score=score, cells=cells))

    def order(row: ScoreRow) -> tuple:
        mean = row.score.score if row.score else None
        return (mean is None, -(mean or 0), row.application.person.sort_key)

    rows.sort(key=order)
    return reviewers, rows
