"""Bulk invitations from an Excel sheet: every row checked before anything is written.

Either every valid row is imported, or (strict) nothing unless every row is valid. Each rejected row is
reported with its row number and reason, and can be downloaded back as a sheet to fix and upload again.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _
from django_countries import countries
from openpyxl import Workbook, load_workbook

from courses.models import Sector

from .exports import neutralise
from .models import Cohort, Invitation

COLUMNS = ["email", "full_name", "sector", "country", "language"]
MAX_ROWS = 2000
MAX_BYTES = 5 * 1024 * 1024
LANGUAGES = {"en", "ar", "fr"}
SECTOR_WORDS = {
    "government": Sector.GOVERNMENT, "gov": Sector.GOVERNMENT,
    "civil_society": Sector.CIVIL_SOCIETY, "civil society": Sector.CIVIL_SOCIETY, "ngo": Sector.CIVIL_SOCIETY,
    "union": Sector.CIVIL_SOCIETY, "other": Sector.OTHER,
}  # fmt: skip


class SheetError(Exception):
    """The file as a whole cannot be read: wrong type, corrupt, too large, wrong columns."""


@dataclass
class Row:
    number: int  # as Excel shows it
    values: dict
    errors: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.errors


@dataclass
class Preview:
    rows: list[Row]

    @property
    def valid_rows(self) -> list[Row]:
        return [row for row in self.rows if row.valid]

    @property
    def rejected_rows(self) -> list[Row]:
        return [row for row in self.rows if not row.valid]


def template_workbook() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Invitations"
    sheet.append(COLUMNS)
    sheet.append(["somchai.srisuk@example.org", "Somchai Srisuk", "government", "TH", "en"])
    sheet.append(["lina.haddad@example.org", "Lina Haddad", "civil_society", "LB", "ar"])
    notes = workbook.create_sheet("How to fill")
    for line in [
        ["email: one address per row, each once."],
        ["sector: government, civil_society (or ngo, union) or other."],
        ["country: two-letter code (TH, LB, PH…) or the English name."],
        ["language of the invitation email: en, ar or fr (en if empty)."],
        [f"At most {MAX_ROWS} rows. Values only: no formulas."],
    ]:
        notes.append(line)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _country_code(value: str) -> str | None:
    value = value.strip()
    if not value:
        return ""
    if value.upper() in dict(countries):
        return value.upper()
    code = countries.by_name(value)
    return code or None


def read_sheet(data: bytes, *, cohort: Cohort) -> Preview:
    """Check every row of an uploaded sheet. Raises SheetError when the file itself is unusable."""
    if len(data) > MAX_BYTES:
        raise SheetError(_("The file is larger than 5 MB. Split it into smaller sheets."))
    if not data.startswith(b"PK") or not zipfile.is_zipfile(io.BytesIO(data)):
        raise SheetError(_("This is not an Excel .xlsx file. Save the sheet as .xlsx and upload it again."))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            # A small file that unpacks into gigabytes is refused before openpyxl reads it.
            if sum(info.file_size for info in archive.infolist()) > 10 * MAX_BYTES:
                raise SheetError(_("The file unpacks to far more data than a sheet of invitations holds."))
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except SheetError:
        raise
    except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds for a damaged file
        raise SheetError(
            _("The file could not be read: it may be damaged. Open it in Excel and save it again.")
        ) from error
    try:
        return _check_rows(workbook, cohort=cohort)
    except SheetError:
        raise
    except Exception as error:  # noqa: BLE001 - a sheet read lazily can still turn out damaged (or to lie about its size)
        raise SheetError(
            _("The file could not be read: it may be damaged. Open it in Excel and save it again.")
        ) from error
    finally:
        workbook.close()


def _check_rows(workbook, *, cohort: Cohort) -> Preview:
    sheet = workbook.worksheets[0]
    rows_iter = sheet.iter_rows(values_only=True)
    header = [str(value).strip().lower() if value is not None else "" for value in next(rows_iter, ())]
    missing = [name for name in ("email", "sector") if name not in header]
    if missing:
        raise SheetError(
            _("The first row must name the columns; missing: %(columns)s. Download the template to see them.")
            % {"columns": ", ".join(missing)}
        )
    index = {name: header.index(name) for name in COLUMNS if name in header}
    already = set(Invitation.objects.filter(cohort=cohort).values_list("email", flat=True))
    seen: dict[str, int] = {}
    rows: list[Row] = []
    for number, cells in enumerate(rows_iter, start=2):
        if cells is None or all(cell in (None, "") for cell in cells):
            continue
        if len(rows) >= MAX_ROWS:
            raise SheetError(
                _("The sheet has more than %(max)s rows. Split it into smaller sheets.") % {"max": MAX_ROWS}
            )
        raw = {name: cells[i] if i < len(cells) else None for name, i in index.items()}
        rows.append(_check_row(number, raw, already, seen))
    return Preview(rows=rows)


def _check_row(number: int, raw: dict, already: set[str], seen: dict[str, int]) -> Row:
    errors = []
    if any(isinstance(value, str) and value.startswith("=") for value in raw.values()):
        errors.append(_("contains a formula; type the values instead"))
    text = {name: "" if value is None else str(value).strip() for name, value in raw.items()}
    email = text.get("email", "").lower()
    if not email:
        errors.append(_("the email is missing"))
    else:
        try:
            validate_email(email)
        except ValidationError:
            errors.append(_("“%(email)s” is not a valid email address") % {"email": email})
        else:
            if email in seen:
                errors.append(_("the same email is on row %(row)s") % {"row": seen[email]})
            elif email in already:
                errors.append(_("already invited to this session"))
            seen.setdefault(email, number)
    sector = SECTOR_WORDS.get(text.get("sector", "").lower())
    if sector is None:
        errors.append(
            _("unknown sector “%(value)s” (use government, civil_society or other)") % {"value": text.get("sector", "")}
        )
    country = _country_code(text.get("country", ""))
    if country is None:
        errors.append(_("unknown country “%(value)s”") % {"value": text.get("country", "")})
    language = (text.get("language") or "en").lower()
    if language not in LANGUAGES:
        errors.append(_("unknown language “%(value)s” (use en, ar or fr)") % {"value": language})
    values = {"email": email, "full_name": text.get("full_name", "")[:200], "intended_sector": sector or "",
              "country": country or "", "language": language}  # fmt: skip
    return Row(number=number, values=values, errors=errors)


def import_rows(*, cohort: Cohort, preview: Preview, invited_by, strict: bool) -> int:
    """Create the invitations of the valid rows, all in one transaction; in strict mode none if any is rejected."""
    from .services import InvitationError, invite_person

    if strict and preview.rejected_rows:
        return 0
    with transaction.atomic():
        for row in preview.valid_rows:
            try:
                invite_person(cohort=cohort, invited_by=invited_by, **row.values)
            except InvitationError as error:  # someone invited the same address meanwhile
                row.errors.append(str(error))
                if strict:
                    transaction.set_rollback(True)
                    return 0
    return len(preview.valid_rows)


def rejected_workbook(preview: Preview) -> bytes:
    """The rejected rows with their row number and reason, to fix and upload again."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Rejected rows")
    sheet.append(["row", "reason", *COLUMNS])
    for row in preview.rejected_rows:
        values = row.values
        sheet.append([row.number, "; ".join(row.errors)] + [
            neutralise(v) for v in (values["email"], values["full_name"], values["intended_sector"],
                                    values["country"], values["language"])
        ])  # fmt: skip
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
