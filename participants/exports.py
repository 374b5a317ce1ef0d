"""Excel exports of cohorts. Text typed by people never becomes a formula in a spreadsheet."""

from __future__ import annotations

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from .models import Cohort, ExportRecord, Registration
from .people import with_people

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A cell that a spreadsheet would run as a formula is written as text, with a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _columns():
    return [
        # The name as every page prints it (the rows' order), then the names as the person gave them.
        (_("Name"), lambda r, p: r.person.name),
        (_("Full name (passport)"), lambda r, p: p.full_name if p else ""),
        (_("Name in native script"), lambda r, p: p.native_name if p else ""),
        (_("Preferred name"), lambda r, p: p.preferred_name if p else ""),
        (_("Email"), lambda r, p: r.user.email),
        (_("Organisation"), lambda r, p: p.organisation.name if p and p.organisation_id else ""),
        (_("Position"), lambda r, p: p.position if p else ""),
        (_("Sector"), lambda r, p: r.get_sector_display()),
        (_("Nationality"), lambda r, p: str(r.country.name) if r.country else ""),
        (_("Status"), lambda r, p: r.get_status_display()),
        (_("Registered on"), lambda r, p: timezone.localtime(r.applied_at).replace(tzinfo=None)),
        (_("Travelling from"), lambda r, p: r.travelling_from),
        (_("Visa invitation letter"), lambda r, p: _("yes") if r.needs_visa_letter else _("no")),
        (_("Dietary needs"), lambda r, p: r.dietary),
        (_("Accessibility needs"), lambda r, p: r.accessibility),
    ]


def export_cohort(*, cohort: Cohort, destination, user=None, via: str = "web", language: str = "en") -> int:
    """Write the cohort's registrations to an .xlsx file (path or file object); log the export. Returns rows."""
    with translation.override(language):
        registrations = with_people(
            list(Registration.objects.filter(cohort=cohort).select_related("user__profile__organisation"))
        )
        columns = _columns()
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(_("Participants")[:31])
        header = []
        for title, _getter in columns:
            cell = WriteOnlyCell(sheet, value=title)
            cell.font = Font(bold=True)
            header.append(cell)
        sheet.append(header)
        rows = 0
        for registration in registrations:
            profile = getattr(registration.user, "profile", None)
            sheet.append([neutralise(getter(registration, profile)) for _title, getter in columns])
            rows += 1
        workbook.save(destination)
    ExportRecord.objects.create(user=user, kind="cohort_participants", cohort=cohort, rows=rows, via=via)
    return rows


def export_attendance(*, cohort: Cohort, destination, user=None, via: str = "web", language: str = "en") -> int:
    """The attendance matrix (participants × days) as .xlsx, with days attended and the certificate; logged."""
    from django.utils.formats import date_format

    from .models import AttendanceStatus
    from .selectors import get_attendance_matrix

    with translation.override(language):
        matrix = get_attendance_matrix(cohort=cohort)
        labels = dict(AttendanceStatus.choices)
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(_("Attendance")[:31])
        header = [_("No."), _("Name"), _("Full name (passport)"), _("Name in native script"), _("Organisation"),
                  _("Sector")]  # fmt: skip
        header += [date_format(day, "D j M") for day in matrix["days"]]
        header += [_("Days attended"), _("Certificate")]
        cells = []
        for title in header:
            cell = WriteOnlyCell(sheet, value=title)
            cell.font = Font(bold=True)
            cells.append(cell)
        sheet.append(cells)
        for number, row in enumerate(matrix["rows"], start=1):
            registration, profile = row["registration"], row["registration"].profile
            sheet.append(
                [
                    number,
                    neutralise(registration.person.name),
                    neutralise(profile.full_name if profile else registration.user.email),
                    neutralise(profile.native_name if profile else ""),
                    neutralise(profile.organisation.name if profile and profile.organisation_id else ""),
                    registration.get_sector_display(),
                    *[str(labels.get(status, "")) for status in row["statuses"]],
                    row["attended"],
                    _("yes") if row["certified"] else _("no"),
                ]
            )
        workbook.save(destination)
    ExportRecord.objects.create(user=user, kind="cohort_attendance", cohort=cohort, rows=len(matrix["rows"]), via=via)
    return len(matrix["rows"])


def answer_cell(answer, question):
    """An answer as a cell: a choice in the active language, a number as a number, a file as its name."""
    if answer is None:
        return ""
    if question.kind == question.Kind.CHOICE:
        return dict(question.choices).get(answer.text, answer.text)
    if question.kind == question.Kind.NUMBER:
        if answer.number is None:
            return ""
        return int(answer.number) if answer.number == answer.number.to_integral_value() else float(answer.number)
    if question.kind == question.Kind.FILE:
        return _("file: %(name)s") % {"name": answer.file_name or "?"} if answer.file else ""
    return answer.text


def _bold_row(sheet, titles) -> list:
    cells = []
    for title in titles:
        cell = WriteOnlyCell(sheet, value=neutralise(title))
        cell.font = Font(bold=True)
        cells.append(cell)
    return cells


def export_call_applications(*, call, destination, user=None, via: str = "web", language: str = "en") -> int:
    """A call's applications (drafts included, with their status) and the reviewers' scores, as .xlsx: the sheet
    "Applications" a row per application, sorted by the printed name, "Scores" a row per submitted review or
    declared conflict of interest. A fixed number of queries whatever the number of applications (2,000 with 6,000
    reviews: a few seconds, most of it openpyxl writing cells); the export is logged. Returns the applications'
    rows."""
    import zoneinfo
    from types import SimpleNamespace

    from django.db.models import Q

    from courses.models import Sector

    from .models import Answer, Application, ApplicationStatus, Gender, Nomination, Review, Score
    from .people import load_people, person_of
    from .selection_selectors import application_scores

    zone = zoneinfo.ZoneInfo(call.cohort.session.time_zone or "UTC")
    with translation.override(language):
        questions = list(call.questions.all())
        criteria = list(call.criteria.all())
        applications = list(Application.objects.filter(call=call).select_related("user__profile__organisation"))
        answers = {
            (application_id, question_id): SimpleNamespace(text=text, number=number, file=file, file_name=file_name)
            for application_id, question_id, text, number, file, file_name in Answer.objects.filter(
                application__call=call).values_list("application_id", "question_id", "text", "number", "file",
                                                    "file_name")
        }  # fmt: skip
        nominated_by = dict(
            Nomination.objects.filter(call=call, application__isnull=False).values_list(
                "application_id", "link__organisation_name"
            )
        )
        scores = application_scores(call=call)
        people = {}
        for application in applications:
            profile = getattr(application.user, "profile", None)
            people[application.pk] = person_of(application.user, country=profile.nationality if profile else None)
        applications.sort(key=lambda application: (people[application.pk].sort_key, application.pk))
        statuses = {value: str(label) for value, label in ApplicationStatus.choices}
        genders = {value: str(label) for value, label in Gender.choices}
        sectors = {value: str(label) for value, label in Sector.choices}
        yes, no = _("yes"), _("no")

        def moment(value):
            return value.astimezone(zone).replace(tzinfo=None) if value else None

        def rounded(value):
            return round(value, 2) if value is not None else None

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(_("Applications")[:31])
        sheet.append(_bold_row(sheet, [
            _("Application no."), _("Name"), _("Full name (passport)"), _("Email"), _("Organisation"), _("Sector"),
            _("Nationality"), _("Gender"), _("Status"), _("Submitted at (%(zone)s)") % {"zone": zone.key},
            _("Nominated by"), *[question.label for question in questions], _("Score"), _("Reviews"), _("Spread"),
            _("Reviewers disagree"),
        ]))  # fmt: skip
        for application in applications:
            profile = getattr(application.user, "profile", None)
            person = people[application.pk]
            score = scores.get(application.pk)
            gender = genders.get(profile.gender, "") if profile else ""
            if profile and profile.gender == Gender.SELF_DESCRIBED and profile.gender_self_described:
                gender = profile.gender_self_described
            row = [
                application.pk, person.name, profile.full_name if profile else "", application.user.email,
                person.organisation, sectors[profile.sector if profile else Sector.OTHER],
                person.country if profile and profile.nationality else "", gender,
                statuses.get(application.status, application.status), moment(application.submitted_at),
                nominated_by.get(application.pk, ""),
                *[answer_cell(answers.get((application.pk, question.pk)), question) for question in questions],
                rounded(score.score) if score else None, score.scored if score else 0,
                rounded(score.spread) if score else None,
                (yes if score.disagreement else no) if score and score.scored else "",
            ]  # fmt: skip
            sheet.append([neutralise(value) for value in row])

        # Scores: a row per submitted review or declared conflict (which has no marks and no date of scoring), by
        # applicant then reviewer as printed.
        marks: dict[int, dict[int, int]] = {}
        for review_id, criterion_id, value in Score.objects.filter(
            review__application__call=call, review__submitted_at__isnull=False
        ).values_list("review_id", "criterion_id", "value"):
            marks.setdefault(review_id, {})[criterion_id] = value
        reviews = list(
            Review.objects.filter(Q(submitted_at__isnull=False) | Q(conflict=True), application__call=call).values_list(
                "pk", "application_id", "reviewer_id", "conflict", "submitted_at", "comment"
            )
        )
        reviewers = load_people({review[2] for review in reviews})
        order = {application.pk: index for index, application in enumerate(applications)}
        reviews.sort(key=lambda review: (order.get(review[1], 0), reviewers[review[2]].sort_key, review[0]))
        scores_sheet = workbook.create_sheet(_("Scores")[:31])
        scores_sheet.append(_bold_row(scores_sheet, [
            _("Application no."), _("Name"), _("Reviewer"),
            *[_("%(criterion)s (weight %(weight)s)") % {"criterion": criterion.label, "weight": criterion.weight}
              for criterion in criteria],
            _("Weighted score"), _("Conflict of interest"), _("Scored at (%(zone)s)") % {"zone": zone.key},
            _("Comment"),
        ]))  # fmt: skip
        for pk, application_id, reviewer_id, conflict, submitted_at, comment in reviews:
            score = scores.get(application_id)
            weighted = None if conflict or score is None else score.by_reviewer.get(reviewer_id)
            given = marks.get(pk, {})
            scores_sheet.append([neutralise(value) for value in [
                application_id, people[application_id].name, reviewers[reviewer_id].name,
                *[given.get(criterion.pk) for criterion in criteria],
                rounded(weighted), yes if conflict else no, moment(submitted_at), comment,
            ]])  # fmt: skip
        workbook.save(destination)
    ExportRecord.objects.create(user=user, kind="call_applications", cohort=call.cohort, rows=len(applications),
                                via=via)  # fmt: skip
    return len(applications)
