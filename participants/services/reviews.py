"""Review of applications: the rubric of a call, the reviewers given it, the applications handed to them (each to
k reviewers, the load balanced), their 1–5 marks and their conflicts of interest.

Organisers' changes are in the audit trail; a reviewer's marks carry their own dates (Review.submitted_at)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.permissions import ORGANISERS, REVIEWERS

from .. import audit_details
from ..models import Application, ApplicationStatus, AuditEntry, Call, CallReviewer, Criterion, Review, Score
from .audit import record_audit

__all__ = [
    "CRITERION_FIELDS", "REVIEWABLE", "Assignment", "ReviewError", "add_reviewer", "assign_reviews",
    "ReviewerWork", "declare_conflict", "delete_criterion", "may_be_reviewer", "remove_reviewer",
    "reviewer_candidates", "reviewer_work", "save_criterion", "score_review", "set_blind_review",
]  # fmt: skip

CRITERION_FIELDS = ("label_en", "label_ar", "label_fr", "help_en", "help_ar", "help_fr", "weight", "order")
# The applications reviewers read: sent, and not withdrawn (whatever the selection made of them since).
REVIEWABLE = (
    ApplicationStatus.SUBMITTED, ApplicationStatus.SHORTLISTED, ApplicationStatus.SELECTED,
    ApplicationStatus.RESERVE, ApplicationStatus.NOT_SELECTED,
)  # fmt: skip
MAX_PER_APPLICATION = 10


class ReviewError(ValidationError):
    """A user-facing reason (by field when it concerns one) why a review, a rubric or a reviewer cannot change."""


def _check_open(call: Call) -> None:
    if call.decided_at is not None:
        raise ReviewError(_("The selection of this call is decided: its reviews can no longer change."))


def _settings_log(*, call: Call, by, details: dict) -> None:
    record_audit(actor=by, action=AuditEntry.Action.SETTINGS, details=details, cohort_id=call.cohort_id)


# --- The rubric ---


@transaction.atomic
def save_criterion(*, call: Call, changes: Mapping, by, criterion: Criterion | None = None) -> Criterion:
    """Add a criterion to a call's rubric, or change one (a new weight counts in every score at once). Raises
    ReviewError."""
    unknown = set(changes) - set(CRITERION_FIELDS)
    if unknown:
        raise ValueError(f"Not a criterion field: {', '.join(sorted(unknown))}")
    _check_open(call)
    if criterion is None:
        criterion = Criterion(call=call)
    elif criterion.call_id != call.pk:
        raise ValueError("The criterion belongs to another call.")
    before = criterion.weight if criterion.pk else None
    for name, value in changes.items():
        setattr(criterion, name, value)
    try:
        criterion.full_clean()
    except ValidationError as error:
        raise ReviewError(error.error_dict if hasattr(error, "error_dict") else error.messages) from error
    added = criterion.pk is None
    criterion.save()
    _settings_log(call=call, by=by, details=audit_details.criterion_saved(
        label=criterion.label_en, added=added, weight=(before, criterion.weight),
    ))  # fmt: skip
    criterion.reopened = _match_reviews_to_rubric(call) if added else 0
    return criterion


def _match_reviews_to_rubric(call: Call) -> int:
    """A review counts as scored when it marks every criterion of the rubric: after a criterion is added, the
    reviews scored before go back to their reviewers (their marks kept, the score left out until the new criterion
    is marked); after an unmarked criterion is removed, those complete again count again. Returns how many reviews
    went back."""
    criteria = call.criteria.count()
    reviews = Review.objects.filter(application__call=call, conflict=False).annotate(marked=Count("scores"))
    incomplete = list(reviews.filter(submitted_at__isnull=False, marked__lt=criteria).values_list("pk", flat=True))
    Review.objects.filter(pk__in=incomplete).update(submitted_at=None)
    complete = reviews.filter(submitted_at__isnull=True, marked__gte=criteria, marked__gt=0)
    Review.objects.filter(pk__in=list(complete.values_list("pk", flat=True))).update(submitted_at=timezone.now())
    return len(incomplete)


@transaction.atomic
def delete_criterion(*, criterion: Criterion, by) -> None:
    """Remove a criterion no reviewer has marked yet. Raises ReviewError."""
    call = criterion.call
    _check_open(call)
    if criterion.scores.exists():
        raise ReviewError(
            _("Reviewers have already marked applications on this criterion: removing it would change scores they "
              "gave. Lower its weight to 1 instead, or change its wording.")
        )  # fmt: skip
    label = criterion.label_en
    criterion.delete()
    _match_reviews_to_rubric(call)
    _settings_log(call=call, by=by, details=audit_details.criterion_removed(label=label))


@transaction.atomic
def set_blind_review(*, call: Call, blind: bool, by) -> Call:
    """Turn blind review on or off for a call's reviewers."""
    call = Call.objects.select_for_update().get(pk=call.pk)
    if call.blind_review != blind:
        call.blind_review = blind
        call.save(update_fields=["blind_review", "updated_at"])
        _settings_log(call=call, by=by, details=audit_details.blind_review(on=blind))
    return call


# --- Reviewers of a call ---


def may_be_reviewer(user) -> bool:
    """Members of the Reviewers role and organisers may be given a call to review (asked of the database: a role
    given a moment ago counts)."""
    return user.is_active and (user.is_superuser or user.groups.filter(name__in=[REVIEWERS, ORGANISERS]).exists())


def reviewer_candidates():
    """The accounts that may be given a call to review: the Reviewers role, then the organisers."""
    from django.contrib.auth import get_user_model

    groups = Group.objects.filter(name__in=[REVIEWERS, ORGANISERS])
    return get_user_model().objects.filter(is_active=True, groups__in=groups).distinct()


@transaction.atomic
def add_reviewer(*, call: Call, user, by) -> CallReviewer:
    """Give a call to a reviewer. Raises ReviewError."""
    _check_open(call)
    if not may_be_reviewer(user):
        raise ReviewError(
            _("%(email)s is not in the Reviewers role. Add them to it on the Roles page first.") % {"email": user.email}
        )
    if CallReviewer.objects.filter(call=call, user=user).exists():
        raise ReviewError(_("%(email)s already reviews this call.") % {"email": user.email})
    reviewer = CallReviewer.objects.create(call=call, user=user, added_by=by)
    record_audit(actor=by, action=AuditEntry.Action.ROLES, details=audit_details.call_reviewer(added=True),
                 cohort_id=call.cohort_id, subject=user)  # fmt: skip
    return reviewer


@dataclass(frozen=True)
class ReviewerWork:
    scored: int  # kept: their marks stay and count
    conflicts: int  # kept: the conflict stays on record, and the application is never given back to them
    open: int  # taken back: assigned, not scored


def reviewer_work(*, call: Call, user) -> ReviewerWork:
    """What happens to a reviewer's reviews of a call if they are taken off it."""
    counts = Review.objects.filter(application__call=call, reviewer=user).aggregate(
        scored=Count("pk", filter=Q(conflict=False, submitted_at__isnull=False)),
        conflicts=Count("pk", filter=Q(conflict=True)),
        open=Count("pk", filter=Q(conflict=False, submitted_at__isnull=True)),
    )
    return ReviewerWork(**counts)


@transaction.atomic
def remove_reviewer(*, call: Call, user, by) -> ReviewerWork:
    """Take a call away from a reviewer: the reviews they scored stay and count, the conflicts they declared stay
    on record, the ones they had not scored are taken back (handing out again gives them to others). Returns what
    was kept and taken back. Raises ReviewError."""
    _check_open(call)
    link = CallReviewer.objects.filter(call=call, user=user).first()
    if link is None:
        raise ReviewError(_("%(email)s does not review this call.") % {"email": user.email})
    work = reviewer_work(call=call, user=user)
    Review.objects.filter(application__call=call, reviewer=user, conflict=False, submitted_at__isnull=True).delete()
    link.delete()
    record_audit(actor=by, action=AuditEntry.Action.ROLES,
                 details=audit_details.call_reviewer(added=False, scored=work.scored, taken_back=work.open),
                 cohort_id=call.cohort_id, subject=user)  # fmt: skip
    return work


# --- Handing out the applications ---


@dataclass(frozen=True)
class Assignment:
    created: int  # reviews handed out now
    applications: int  # reviewable applications of the call
    short: int  # applications that still have fewer than k reviewers (not enough reviewers free of them)


@transaction.atomic
def assign_reviews(*, call: Call, per_application: int, by) -> Assignment:
    """Give each submitted application to `per_application` reviewers of the call, the least loaded first, never
    twice to the same reviewer, never to its own applicant. Adds only what is missing: run it again when more
    applications arrive. A declared conflict does not count: another reviewer takes the place. Raises
    ReviewError."""
    if not 1 <= per_application <= MAX_PER_APPLICATION:
        raise ReviewError({"per_application": _("Give each application to between 1 and %(most)s reviewers.")
                           % {"most": MAX_PER_APPLICATION}})  # fmt: skip
    # One organiser hands out at a time: two clicks must not give an application to k+k reviewers.
    call = Call.objects.select_for_update().get(pk=call.pk)
    _check_open(call)
    # Only those who may still review: not someone taken out of the role since, nor an erased account.
    reviewers = list(
        CallReviewer.objects.filter(call=call, user__is_active=True)
        .filter(Q(user__is_superuser=True) | Q(user__groups__name__in=[REVIEWERS, ORGANISERS]))
        .values_list("user_id", flat=True).distinct()
    )  # fmt: skip
    if not reviewers:
        raise ReviewError(_("Add reviewers to this call first."))
    applications = list(
        Application.objects.filter(call=call, status__in=REVIEWABLE).order_by("submitted_at", "pk")
        .values_list("pk", "user_id")
    )  # fmt: skip
    reviews = Review.objects.filter(application__call=call).values_list("application_id", "reviewer_id", "conflict")
    load = dict.fromkeys(reviewers, 0)
    seen: dict[int, set[int]] = {}
    active: dict[int, int] = {}
    for application_id, reviewer_id, conflict in reviews:
        seen.setdefault(application_id, set()).add(reviewer_id)
        if not conflict:
            active[application_id] = active.get(application_id, 0) + 1
            if reviewer_id in load:
                load[reviewer_id] += 1
    new, short = [], 0
    for application_id, applicant_id in applications:
        missing = per_application - active.get(application_id, 0)
        if missing <= 0:
            continue
        taken = seen.get(application_id, set())
        free = sorted((user_id for user_id in reviewers if user_id not in taken and user_id != applicant_id),
                      key=lambda user_id: (load[user_id], user_id))  # fmt: skip
        for user_id in free[:missing]:
            new.append(Review(application_id=application_id, reviewer_id=user_id))
            load[user_id] += 1
        if len(free) < missing:
            short += 1
    Review.objects.bulk_create(new)
    if new:
        _settings_log(call=call, by=by, details=audit_details.reviews_assigned(
            count=len(new), per_application=per_application,
        ))  # fmt: skip
    return Assignment(created=len(new), applications=len(applications), short=short)


# --- A reviewer's work ---


def _own_open_review(review: Review, by) -> Review:
    review = Review.objects.select_for_update().select_related("application__call").get(pk=review.pk)
    if review.reviewer_id != by.pk:
        raise PermissionError("Only the reviewer it is assigned to scores a review.")
    call = review.application.call
    if not CallReviewer.objects.filter(call=call, user=by).exists() or not may_be_reviewer(by):
        raise PermissionError("The reviewer no longer reviews this call.")
    _check_open(call)
    if review.application.status not in REVIEWABLE:
        raise ReviewError(_("This application was withdrawn: it is no longer reviewed."))
    return review


@transaction.atomic
def score_review(*, review: Review, marks: Mapping, comment: str, by) -> Review:
    """Keep a reviewer's marks (1 to 5 on every criterion of the call) and comment; they may change them until the
    call's selection is decided. Raises ReviewError (by criterion id when a mark is missing or wrong)."""
    review = _own_open_review(review, by)
    if review.conflict:
        raise ReviewError(
            _("You declared a conflict of interest with this application: it is not yours to score. Write to the "
              "organisers if this was a mistake.")
        )  # fmt: skip
    criteria = list(Criterion.objects.filter(call_id=review.application.call_id))
    if not criteria:
        raise ReviewError(_("The organisers have not set the criteria of this call yet: come back later."))
    known = {criterion.pk for criterion in criteria}
    if any(int(key) not in known for key in marks):
        raise ValueError("A mark for a criterion of another call.")
    errors = {}
    values = {}
    for criterion in criteria:
        value = marks.get(criterion.pk, marks.get(str(criterion.pk)))
        try:
            value = int(value)
        except (TypeError, ValueError):
            errors[str(criterion.pk)] = [_("Give a mark from 1 to 5.")]
            continue
        if not 1 <= value <= 5:
            errors[str(criterion.pk)] = [_("Give a mark from 1 to 5.")]
            continue
        values[criterion.pk] = value
    if errors:
        raise ReviewError(errors)
    for criterion_id, value in values.items():
        Score.objects.update_or_create(review=review, criterion_id=criterion_id, defaults={"value": value})
    review.comment = (comment or "").strip()
    review.submitted_at = timezone.now()
    review.save(update_fields=["comment", "submitted_at", "updated_at"])
    return review


@transaction.atomic
def declare_conflict(*, review: Review, note: str, by) -> Review:
    """A reviewer says they cannot judge this application fairly: their marks and comment go, the application
    counts without them (handing out again gives it to another reviewer). Raises ReviewError."""
    review = _own_open_review(review, by)
    review.scores.all().delete()
    review.conflict = True
    review.conflict_note = (note or "").strip()[:300]
    review.comment = ""
    review.submitted_at = None
    review.save(update_fields=["conflict", "conflict_note", "comment", "submitted_at", "updated_at"])
    return review
