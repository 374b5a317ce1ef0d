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
