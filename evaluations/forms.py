"""Reading a questionnaire's answers from a posted form: one field (or a few) per question, by kind."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .models import QuestionKind

ACTION_PLAN_ROWS = 3
ACTION_STATUSES = [
    ("done", _("Done")),
    ("in_progress", _("In progress")),
    ("not_started", _("Not started")),
    ("blocked", _("Blocked")),
]


def answers_from_post(questions, post) -> dict:
    """The raw answers, keyed by question key, as services.clean_answers expects them."""
    data = {}
    for question in questions:
        name = f"q-{question.key}"
        if question.kind in (QuestionKind.MULTIPLE, QuestionKind.COHORT_MEMBERS):
            data[question.key] = post.getlist(name)
        elif question.kind == QuestionKind.BEFORE_AFTER:
            before, after = post.get(f"{name}-before", ""), post.get(f"{name}-after", "")
            data[question.key] = {"before": before, "after": after} if before or after else None
        elif question.kind == QuestionKind.ACTION_PLAN:
            data[question.key] = [
                {
                    "action": post.get(f"{name}-action-{row}", ""),
                    "status": post.get(f"{name}-status-{row}", ""),
                    "note": post.get(f"{name}-note-{row}", ""),
                }
                for row in range(ACTION_PLAN_ROWS + 3)
                if post.get(f"{name}-action-{row}", "").strip()
            ]
        else:
            data[question.key] = post.get(name, "")
    return data
