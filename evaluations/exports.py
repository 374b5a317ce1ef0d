"""Raw responses to Excel: one row per answer, one column per question. An anonymous survey's rows carry no
person and no time; identified rows say who answered. Every export is logged."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from courses.l10n import join_parts
from participants.exports import neutralise
from participants.models import ExportRecord
from participants.people import person_of

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
        people = [] if survey.anonymous else [
            _("Name"), _("Full name (passport)"), _("Organisation"), _("Email"), _("Answered on"),
        ]  # fmt: skip
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
            # The erased person's answer stays in the figures only.
            answered = [
                (person_of(response.respondent), response)
                for response in responses.select_related("respondent__profile__organisation")
                if response.respondent is not None
            ]
            rows = []
            for person, response in sorted(answered, key=lambda item: item[0].sort_key):
                profile = getattr(response.respondent, "profile", None)
                rows.append([
                    neutralise(person.name), neutralise(profile.full_name if profile else ""),
                    neutralise(person.organisation), response.respondent.email, response.submitted_on,
                    *[neutralise(getter(response.answers)) for _title, getter in columns],
                ])  # fmt: skip
        for row in rows:
            sheet.append(row)
        workbook.save(destination)
    ExportRecord.objects.create(user=user, kind="survey_responses", cohort_id=survey.cohort_id, rows=len(rows), via=via)
    return len(rows)


def export_network(*, scope, network, title: str, destination, user=None, cohort_id: int | None = None,
                   via: str = "web", language: str = "en", kind: str = "network") -> int:  # fmt: skip
    """Write a network's figures, ties and people to .xlsx (sheets Figures, Ties, People); log the export.
    Returns the number of rows of ties and people."""
    from django_countries import countries

    from courses.models import Sector

    from .models import Tie, TieKind
    from .network import PERIOD_LABELS

    with translation.override(language):
        sectors, kinds = dict(Sector.choices), dict(TieKind.choices)
        sources = dict(Tie.Source.choices)
        cohorts_of = {person: node.cohorts for person, node in network.nodes.items()}

        def name(person: int) -> str:
            return neutralise(scope.names[person].name if person in scope.names else "")

        def label(person: int) -> str:
            """Who a tie joins, with what tells them apart from others of the same name."""
            return neutralise(scope.names[person].label if person in scope.names else "")

        def sort_key(person: int) -> tuple:
            return scope.names[person].sort_key if person in scope.names else ("", "", "", "", person)

        def header(sheet, titles: list[str]) -> None:
            cells = []
            for text in titles:
                cell = WriteOnlyCell(sheet, value=text)
                cell.font = Font(bold=True)
                cells.append(cell)
            sheet.append(cells)

        workbook = Workbook(write_only=True)
        figures = workbook.create_sheet(_("Figures")[:31])
        figures.append([neutralise(title)])
        header(figures, [
            _("Period"), _("People"), _("Ties"), _("Confirmed"), _("One-sided"), _("Density"),
            _("Cross-sector ties"), _("Cross-sector share"), _("Alumni with a cross-sector tie"),
            _("Share of alumni with a cross-sector tie"), _("Lasting ties"), _("Share of lasting ties"),
        ])  # fmt: skip
        for row in network.figures:
            figures.append([
                neutralise(str(PERIOD_LABELS[row.period])), row.people, row.ties, row.confirmed, row.one_sided,
                round(row.density, 4), row.cross_sector, _round(row.cross_sector_share), row.people_crossing,
                _round(row.people_crossing_share), row.lasting, _round(row.lasting_share),
            ])  # fmt: skip

        ties = workbook.create_sheet(_("Ties")[:31])
        header(ties, [
            _("Person"), _("Sector"), _("Person"), _("Sector"), _("Confirmed or one-sided"), _("Cross-sector"),
            _("Kinds"), _("Periods"), _("Lasting"), _("First reported"), _("Sources"),
        ])  # fmt: skip
        for tie in sorted(network.ties, key=lambda tie: sorted((sort_key(tie.low), sort_key(tie.high)))):
            first, second = sorted((tie.low, tie.high), key=sort_key)
            ties.append([
                label(first), neutralise(str(sectors.get(network.nodes[first].sector, ""))),
                label(second), neutralise(str(sectors.get(network.nodes[second].sector, ""))),
                _("Confirmed") if tie.confirmed else _("One-sided"), _("yes") if tie.cross_sector else _("no"),
                neutralise(join_parts(kinds.get(kind, kind) for kind in tie.kinds)),
                neutralise(join_parts(PERIOD_LABELS[period] for period in tie.periods)),
                _("yes") if tie.lasting else _("no"), tie.first_reported,
                neutralise(join_parts(sources.get(source, source) for source in tie.sources)),
            ])  # fmt: skip

        people = workbook.create_sheet(_("People")[:31])
        header(people, [_("Name"), _("Full name (passport)"), _("Organisation"), _("Sector"), _("Cohorts"),
                        _("Nationality"), _("Ties"), _("Cross-sector ties")])  # fmt: skip
        for person in sorted(network.nodes, key=sort_key):
            country = scope.countries.get(person, "")
            shown = scope.names.get(person)
            people.append([
                name(person), neutralise(shown.full_name if shown else ""),
                neutralise(shown.organisation if shown else ""),
                neutralise(str(sectors.get(network.nodes[person].sector, ""))),
                neutralise("; ".join(sorted(scope.cohort_titles.get(cohort, "") for cohort in cohorts_of[person]))),
                neutralise(str(countries.name(country)) if country else ""),
                network.degree.get(person, 0), network.cross_degree.get(person, 0),
            ])  # fmt: skip
        workbook.save(destination)
    rows = len(network.ties) + len(network.nodes)
    ExportRecord.objects.create(user=user, kind=kind[:50], cohort_id=cohort_id, rows=rows, via=via)
    return rows


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)
