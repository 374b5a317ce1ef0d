"""Calls for applications, set up by organisers without the Django admin: one per cohort, with its questions."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Call, CallQuestion, Cohort

__all__ = [
    "CALL_SETTINGS", "QUESTION_FIELDS", "CallError", "delete_question", "save_call", "save_question",
]  # fmt: skip

CALL_SETTINGS = (
    "mode", "opens_at", "deadline", "eligibility_en", "eligibility_ar", "eligibility_fr", "published",
    "min_women_percent", "min_score",  # the shortlist assistant's targets
)  # fmt: skip
QUESTION_FIELDS = (
    "kind", "label_en", "label_ar", "label_fr", "help_en", "help_ar", "help_fr",
    "choices_en", "choices_ar", "choices_fr", "required", "order",
)  # fmt: skip


class CallError(ValidationError):
    """User-facing reasons, by field, why a call or a question cannot be saved as asked."""


def _checked_save(instance) -> None:
    try:
        instance.full_clean()
    except ValidationError as error:
        raise CallError(error.error_dict if hasattr(error, "error_dict") else error.messages) from error
    instance.save()


@transaction.atomic
def save_call(*, cohort: Cohort, changes: Mapping, by) -> Call:
    """Create the cohort's call or change it (fields of CALL_SETTINGS). Raises CallError."""
    unknown = set(changes) - set(CALL_SETTINGS)
    if unknown:
        raise ValueError(f"Not a call setting: {', '.join(sorted(unknown))}")
    call = Call.objects.select_for_update().filter(cohort=cohort).first() or Call(cohort=cohort)
    for name, value in changes.items():
        setattr(call, name, value)
    if call.published and not call.eligibility:
        raise CallError({"eligibility_en": _("Say who may apply before the call is published.")})
    _checked_save(call)
    return call


@transaction.atomic
def save_question(*, call: Call, changes: Mapping, question: CallQuestion | None = None) -> CallQuestion:
    """Add a question to a call, or change one. Its kind cannot change once someone has answered it. Raises
    CallError."""
    unknown = set(changes) - set(QUESTION_FIELDS)
    if unknown:
        raise ValueError(f"Not a question field: {', '.join(sorted(unknown))}")
    if question is None:
        question = CallQuestion(call=call)
    elif question.call_id != call.pk:
        raise ValueError("The question belongs to another call.")
    answered = question.pk is not None and question.answers.exists()
    if answered and changes.get("kind", question.kind) != question.kind:
        raise CallError({"kind": _("People have answered this question: its kind can no longer change.")})
    for name, value in changes.items():
        setattr(question, name, value)
    _checked_save(question)
    return question


@transaction.atomic
def delete_question(*, question: CallQuestion) -> None:
    """Remove a question nobody has answered yet. Raises CallError."""
    if question.answers.exclude(text="", number__isnull=True, file="").exists():
        raise CallError(_("People have answered this question: it can no longer be removed. Make it optional."))
    question.delete()
