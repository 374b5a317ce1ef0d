"""Raw responses to Excel: one row per answer, one column per question. An anonymous survey's rows carry no
person and no time; identified rows say who answered. Every export is logged."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from participants.exports import neutralise
from participants.models import ExportRecord

from .forms import ACTION_STATUSES
from .models import QuestionKind, Response, Survey
from .selectors import list_questions, withheld


def _columns(question) -> list[tuple[str, callable]]:
    choices = dict(question.choices())
    statuses = dict(ACTION_STATUSES)
    key, kind = question.key, question.kind
    if kind == QuestionKind.BEFORE_AFTER:
        return [
            (f"{key} ({_('before')})", lambda a: (a.get(key) or {}).get("before")),
            (f"{key} ({_('after')})", lambda a: (a.get(key) or {}).get("after")),
        ]
    if kind == QuestionKind.SINGLE:
        return [(key, lambda a: choices.get(a.get(key), ""))]
    if kind == QuestionKind.MULTIPLE:
        return [(key, lambda a: "; ".join(choices.get(v, v) for v in a.get(key) or []))]
    if kind == QuestionKind.ACTION_PLAN:
        return [(key, lambda a: "\n".join(
            f"{item['action']}" + (f" [{statuses.get(item.get('status'), item.get('status'))}]" if item.get("status")
                                   else "") + (f" — {item['note']}" if item.get("note") else "")
            for item in a.get(key) or []
        ))]  # fmt: skip
    if kind == QuestionKind.COHORT_MEMBERS:
        return [(key, lambda a: len(a.get(key) or []))]
    return [(key, lambda a: a.get(key))]


def export_responses(*, survey: Survey, destination, user=None, via: str = "web", language: str = "en") -> int:
    """Write the submitted responses of a survey to .xlsx; log the export. Returns the number of rows."""
    with translation.override(language):
        questions = list_questions(survey=survey)
        columns = [column for question in questions for column in _columns(question)]
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(survey.instrument.slug[:31])
        people = [] if survey.anonymous else [_("Name"), _("Email"), _("Answered on")]
        header = []
        for title in [*people, *(title for title, _getter in columns)]:
            cell = WriteOnlyCell(sheet, value=title)
            cell.font = Font(bold=True)
            header.append(cell)
        sheet.append(header)
        responses = Response.objects.filter(survey=survey, submitted=True)
        if withheld(survey, responses.count()):
            rows = []  # too few anonymous answers to show any without pointing at their authors
        elif survey.anonymous:
            # No id, no time, no order of arrival: sorted by the answers themselves.
            rows = sorted(
                ([neutralise(getter(answers)) for _title, getter in columns]
                 for answers in responses.values_list("answers", flat=True)),
                key=lambda row: [str(value) for value in row],
            )  # fmt: skip
        else:
            rows = []
            for response in responses.select_related("respondent__profile").order_by("respondent__email"):
                if response.respondent is None:
                    continue  # the person's account was erased: their answer stays in the figures only
                profile = getattr(response.respondent, "profile", None)
                rows.append([
                    neutralise(profile.full_name if profile else ""), response.respondent.email,
                    response.submitted_on, *[neutralise(getter(response.answers)) for _title, getter in columns],
                ])  # fmt: skip
        for row in rows:
            sheet.append(row)
        workbook.save(destination)
    ExportRecord.objects.create(user=user, kind="survey_responses", cohort_id=survey.cohort_id, rows=len(rows), via=via)
    return len(rows)
