"""Reads for calls for applications and applications."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
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
