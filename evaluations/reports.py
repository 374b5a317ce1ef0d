"""PDF reports of evaluations: the cohort report for donors (charts included) and the one-page debrief of a
day's evaluation for the trainers' next-morning meeting. Nobody is named in either."""

from __future__ import annotations

import zoneinfo

from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.platypus import Table, TableStyle

from courses.l10n import join_parts
from courses.pdf import FRAME_WIDTH, Spacer, Writer, mm, render, table
from participants.models import RegistrationStatus

from .forms import ACTION_STATUSES
from .models import QuestionKind
from .selectors import get_cohort_summary, get_survey_results

BAR = colors.HexColor("#0b5c7a")
QUOTES = 8
PAIR_STYLE = TableStyle([
    ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
    ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 2),
])  # fmt: skip


def bars(values: list[float], *, rtl: bool, maximum: float | None = None, width: float = FRAME_WIDTH * 0.45):
    """Horizontal bars with their figures, one per row of the table beside them (labels live in the table,
    where they are shaped); a row is as tall as a table row."""
    top = maximum or max(values, default=0) or 1
    row = 19.5
    drawing = Drawing(width, row * len(values))
    for index, value in enumerate(values):
        y = drawing.height - (index + 1) * row + 3
        length = max((width - 30) * value / top, 0.5)
        x = width - length if rtl else 0
        drawing.add(Rect(x, y, length, row - 6, fillColor=BAR, strokeColor=None))
        label_x = x - 4 if rtl else length + 4
        drawing.add(String(label_x, y + 2, f"{value:g}", fontName="NotoSans-Regular", fontSize=8,
                           textAnchor="end" if rtl else "start"))  # fmt: skip
    return drawing


def _question_story(writer: Writer, item: dict) -> list:
    question, kind, n = item["question"], item["kind"], item["n"]
    story = [writer.para(question.text, "body", bold=True)]
    if not n:
        return [*story, writer.para(_("No answers."), "small")]
    counted = None
    if kind == QuestionKind.LIKERT:
        story.append(writer.para(_("%(n)s answers, average %(mean)s / 5") % {"n": n, "mean": f"{item['mean']:g}"},
                                 "small"))  # fmt: skip
        counted = item["counts"]
    elif kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        counted = item["counts"]
    elif kind == QuestionKind.BEFORE_AFTER:
        counted = [(_("Before"), item["before"]), (_("After"), item["after"])]
        story.append(writer.para(
            _("%(n)s answers; %(improved)s rate themselves higher after the training.")
            % {"n": n, "improved": item["improved"]}, "small",
        ))  # fmt: skip
    elif kind == QuestionKind.ACTION_PLAN:
        labels = dict(ACTION_STATUSES)
        counted = [(str(labels[code]), count) for code, count in item["statuses"] if count]
        story.append(writer.para(_("%(count)s actions planned.") % {"count": item["actions"]}, "small"))
        story += [writer.para(f"• {text}", "small") for text in item["texts"][:QUOTES]]
    elif kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT):
        story += [writer.para(f"“{text}”", "small") for text in item["texts"][:QUOTES]]
        if len(item["texts"]) > QUOTES:
            story.append(writer.para(_("… and %(count)s more.") % {"count": len(item["texts"]) - QUOTES}, "small"))
    elif kind == QuestionKind.NUMBER:
        figures = {"mean": item["mean"], "low": item["minimum"], "high": item["maximum"]}
        story.append(writer.para(_("average %(mean)s (from %(low)s to %(high)s)") % figures, "small"))
    elif kind == QuestionKind.COHORT_MEMBERS:
        story.append(writer.para(_("%(named)s people of the cohort named.") % {"named": item["named"]}, "small"))
    if counted:
        rows = [[str(label), f"{value:g}"] for label, value in counted]
        maximum = 5 if kind == QuestionKind.BEFORE_AFTER else None
        chart = bars([value for _label, value in counted], rtl=writer.rtl, maximum=maximum)
        figures = table(writer, rows, [FRAME_WIDTH * 0.36, FRAME_WIDTH * 0.1])
        # The figures and their bars side by side, row for row; the bars on the reading side's far end.
        cells = [[chart, figures]] if writer.rtl else [[figures, chart]]
        pair = Table(cells, colWidths=[FRAME_WIDTH * 0.5, FRAME_WIDTH * 0.5])
        pair.setStyle(PAIR_STYLE)
        pair.hAlign = "RIGHT" if writer.rtl else "LEFT"
        story.append(pair)
    story.append(Spacer(1, 3 * mm))
    return story


def _survey_story(writer: Writer, survey, results: dict) -> list:
    local = survey.opens_at.astimezone(zoneinfo.ZoneInfo(survey.cohort.session.time_zone))
    story = [
        writer.para(f"{survey.instrument.title} · {date_format(local.date(), 'DATE_FORMAT')}", "h2"),
        writer.para(
            _("%(level)s · %(answered)s answers from %(asked)s people asked")
            % {"level": survey.instrument.get_level_display(), "answered": results["answered"],
               "asked": results["asked"]}, "small",
        ),
    ]  # fmt: skip
    if results["withheld"]:
        story.append(writer.para(
            _("Anonymous: the answers are shown from %(minimum)s answers, so that nobody's can be told apart.")
            % {"minimum": results["minimum"]}, "small",
        ))  # fmt: skip
    for item in results["questions"]:
        story += _question_story(writer, item)
    return story


def build_cohort_report(*, cohort, language: str) -> bytes:
    """The evaluation report of a cohort for donors and partners: participation, Kirkpatrick summary, and each
    questionnaire's results with charts."""
    with translation.override(language):
        session = cohort.session.localized.specific
        programme = session.get_parent().specific
        writer = Writer(rtl=translation.get_language_bidi(), width=FRAME_WIDTH)
        place = join_parts((session.venue, session.city, session.country.name))
        attended = cohort.registrations.filter(status=RegistrationStatus.ATTENDED)
        story = [
            writer.para(_("Evaluation report"), "small"),
            writer.para(session.title, "title"),
            writer.para(programme.title),
            writer.para(f"{date_format(session.start_date)} – {date_format(session.end_date)} · {place}", "small"),
            writer.para(_("Participants"), "h1"),
            writer.para(
                _("%(seated)s confirmed, %(attended)s attended (government %(government)s, civil society %(civil)s).")
                % {"seated": cohort.registrations.filter(status__in=("confirmed", "attended", "no_show")).count(),
                   "attended": attended.count(), "government": attended.filter(sector="government").count(),
                   "civil": attended.filter(sector="civil_society").count()}
            ),
        ]  # fmt: skip
        summary = get_cohort_summary(cohort=cohort)
        story.append(writer.para(_("At a glance"), "h1"))
        for level in summary["levels"]:
            lines = [_("average agreement %(value)s / 5") % {"value": value} for _kind, value in level["figures"]]
            lines += [f"{text}: {change:+g}" for text, change in level.get("changes", []) if change is not None]
            if level.get("actions"):
                lines.append(_("actions done %(done)s, in progress %(in_progress)s, blocked %(blocked)s")
                             % level["actions"])  # fmt: skip
            if level["level"] == "results":
                lines.append(_("%(named)s colleagues of the cohort named as worked with since") % level)
            story.append(writer.para(f"{level['label']}: " + ("; ".join(lines) or _("no answers yet")), "body"))
        for survey in summary["surveys"]:
            results = get_survey_results(survey=survey)
            if results["answered"]:
                story += _survey_story(writer, survey, results)
        return render(story, title=_("Evaluation report") + " – " + session.title)


def build_daily_debrief(*, survey, language: str) -> bytes:
    """One page for the trainers' morning meeting: the day's anonymous evaluation as it stands."""
    with translation.override(language):
        session = survey.cohort.session.localized.specific
        writer = Writer(rtl=translation.get_language_bidi(), width=FRAME_WIDTH)
        day = survey.opens_at.astimezone(zoneinfo.ZoneInfo(session.time_zone)).date()
        results = get_survey_results(survey=survey)
        story = [
            writer.para(_("Daily debrief"), "small"),
            writer.para(session.title, "h1"),
            writer.para(date_format(day, "l j F Y"), "body", bold=True),
            *_survey_story(writer, survey, results),
        ]
        return render(story, title=_("Daily debrief") + " – " + session.title)
