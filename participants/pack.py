"""A session's printed pack: name badges, daily sign-in sheets and certificates of completion, as PDFs in a ZIP.

Everything here works on plain data (PackSession, PackPerson) and never touches the database, so the pack can be
built in a task, tested and benchmarked alone. Pages are drawn on a reportlab canvas one at a time, so a cohort of
1,000 never holds more than one page of paragraphs. Text goes through courses.pdf's Writer (PackWriter below), which
picks each script's font, joins and orders Arabic and shapes Thai, Khmer, Lao and Burmese; fit_paragraph shrinks
what is too long for its box.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import groupby

from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import DirectDraw, Drawing, Group
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, Table, TableStyle

from courses.pdf import Writer, has_arabic, split_runs

INK = colors.HexColor("#1a1a1a")
BRAND = colors.HexColor("#0b5c7a")
ACCENT = colors.HexColor("#f0a202")
MUTED = colors.HexColor("#555555")
HAIRLINE = colors.HexColor("#bbbbbb")
HEADER_FILL = colors.HexColor("#e6eff2")

# A width no line reaches: a paragraph wrapped at it shows the natural width of its text on one line.
ONE_LINE = 100_000
# Writer.para breaks Arabic 16 pt short of the width it is given (frames pad 6 pt a side); we draw paragraphs
# without padding, so give it this much more and it breaks 2 pt short of the box, never re-wrapped by reportlab.
RTL_SLACK = 14

BADGE_WIDTH, BADGE_HEIGHT = A4[0] / 2, A4[1] / 4
BADGES_PER_PAGE = 8
BADGE_MARGIN = 6 * mm
QR_SIZE = 32 * mm
PROGRESS_EVERY = 8


@dataclass(frozen=True)
class PackSession:
    programme: str
    title: str
    start: datetime.date
    end: datetime.date
    place: str
    days: tuple[datetime.date, ...]
    host: str = ""
    signatories: tuple[tuple[str, str], ...] = ()
    language: str = "en"


@dataclass(frozen=True)
class PackPerson:
    number: int
    full_name: str
    native_name: str
    preferred_name: str
    organisation: str
    country: str
    check_in_url: str = ""

    @property
    def name(self) -> str:
        """The name printed large, as every page shows it (participants.people): the preferred name, else the
        passport name."""
        return " ".join(self.preferred_name.split()) or self.full_name.strip()


# --- Text that fits --------------------------------------------------------------------------------------------


def _leading_ratio(text: str) -> float:
    """Burmese stacks marks far above and below the line, Thai, Lao and Khmer less so: give them room."""
    scripts = {script for script, _run in split_runs(text)}
    if "myanmar" in scripts:
        return 1.75
    if scripts & {"thai", "lao", "khmer"}:
        return 1.5
    return 1.28


def _scale(text: str) -> float:
    """Naskh letters look smaller than Latin ones at the same size; set Arabic a little larger."""
    return 1.12 if has_arabic(text) else 1.0


def _style(writer: PackWriter, size: float, ratio: float, color) -> str:
    key = f"pack-{size:g}-{ratio:g}-{color.hexval() if color else ''}"
    if key not in writer.styles:
        # splitLongWords=0: a word that does not fit overflows and fit_paragraph sees it, instead of a name cut
        # in the middle of a syllable.
        writer.styles[key] = ParagraphStyle(
            key, parent=writer.styles["body"], fontSize=size, leading=size * ratio, spaceAfter=0,
            textColor=color or INK, splitLongWords=0,
        )  # fmt: skip
    return key


class PackWriter(Writer):
    """courses.pdf.Writer that remembers fit_paragraph's choices: the same names come back on every day's sheet."""

    def __init__(self, *, rtl: bool, width: float):
        super().__init__(rtl=rtl, width=width)
        self.fitted: dict[tuple, tuple[float, int]] = {}


def _para(
    writer: PackWriter, text: str, size: float, *, width: float, bold: bool = False, color=None, align: str = "start"
) -> Paragraph:
    style = _style(writer, size * _scale(text), _leading_ratio(text), color)
    return writer.para(text, style, bold=bold, width=width + RTL_SLACK, align=align)


def _fits(paragraph: Paragraph, width: float, height: float, max_lines: int) -> float | None:
    """The paragraph's height if it fits the box on at most max_lines lines, else None."""
    _width, used = paragraph.wrap(width, ONE_LINE)
    lines = paragraph.blPara.lines
    widest = max(paragraph.getActualLineWidths0(), default=0)
    if len(lines) <= max_lines and used <= height + 0.01 and widest <= width + 0.01:
        return used
    return None


def fit_paragraph(
    writer: PackWriter,
    text: str,
    *,
    width: float,
    height: float,
    size: float,
    min_size: float,
    max_lines: int = 1,
    bold: bool = False,
    color=None,
    align: str = "start",
    one_line_from: float = 0.8,
) -> tuple[Paragraph, float]:
    """The text at the largest size up to `size` that fits width × height, wrapped, and its height.

    It prefers one line at one_line_from × `size` or more, then up to max_lines lines down to min_size, then as many
    lines as the height holds at min_size, and last one line at whatever size fits: never cut, never overflowing.
    """
    options = {"bold": bold, "color": color, "align": align}
    key = (text, width, height, size, min_size, max_lines, bold, one_line_from)
    if key in writer.fitted:
        candidate, _lines = writer.fitted[key]
        paragraph = _para(writer, text, candidate, width=width, **options)
        return paragraph, paragraph.wrap(width, ONE_LINE)[1]
    probe = _para(writer, text, size, width=ONE_LINE, **options)
    probe.wrap(ONE_LINE, ONE_LINE)
    natural = max(probe.getActualLineWidths0(), default=0) or 1
    tallest = height / _leading_ratio(text) / _scale(text)
    one_line = int(min(size, size * width / natural, tallest) * 4) / 4  # quarter points, rounded down
    attempts = []
    if max_lines == 1 or one_line >= size * one_line_from:
        attempts.append((one_line, 1))
    if max_lines > 1:
        candidate = size
        while candidate > min_size:
            attempts.append((candidate, max_lines))
            candidate = round(candidate * 0.92, 2)
        attempts += [(min_size, max_lines), (min_size, 99)]
    attempts.append((one_line, 1))
    # Last, for rounding in the width of shaped text: one line, a little smaller each time.
    attempts += [(round(one_line * 0.95**step, 2), 1) for step in range(1, 40)]
    for candidate, lines in attempts:
        paragraph = _para(writer, text, candidate, width=width, **options)
        used = _fits(paragraph, width, height, lines)
        if used is not None:
            writer.fitted[key] = (candidate, lines)
            return paragraph, used
    return paragraph, paragraph.wrap(width, ONE_LINE)[1]


# --- Badges ------------------------------------------------------------------------------------------------------


class _QrModules(DirectDraw):
    """The dark modules of a QR code as one filled PDF path, in module units (integers) scaled by one matrix.

    reportlab's widget makes a Rect shape per run of dark modules, each written with its own graphics state and
    every coordinate formatted in Python: that took longer than encoding. Here a badge's code is ~250 `re`.
    """

    def __init__(self, modules: list[list], x: float, y: float, box: float, border: int):
        self.modules, self.x, self.y, self.box, self.border = modules, x, y, box, border

    def drawDirectly(self, renderer) -> None:
        count = len(self.modules)
        ops = [f"q {self.box:.5f} 0 0 {self.box:.5f} {self.x:.3f} {self.y:.3f} cm 0 g"]
        for row_number, row in enumerate(self.modules):
            y = self.border + count - 1 - row_number
            column = 0
            for dark, run in groupby(row, key=bool):
                length = len(list(run))
                if dark:
                    ops.append(f"{self.border + column} {y} {length} 1 re")
                column += length
        ops.append("f Q")
        renderer._canvas.addLiteral("\n".join(ops))

    def getBounds(self):
        size = self.box * (len(self.modules) + 2 * self.border)
        return self.x, self.y, self.x + size, self.y + size


class _QrCode(QrCodeWidget):
    """reportlab's QR widget (same encoder, modules and quiet zone), drawn as one path (see _QrModules)."""

    def draw(self) -> Group:
        self.qr.make()
        count = self.qr.getModuleCount()
        side = min(self.barWidth, self.barHeight)
        box = side / (count + 2 * self.barBorder)
        x = self.x + (self.barWidth - side) / 2
        y = self.y + (self.barHeight - side) / 2
        return Group(_QrModules(self.qr.modules, x, y, box, self.barBorder))


def qr_drawing(url: str, size: float = QR_SIZE) -> Drawing:
    """A QR code of url (error correction M), size × size points including a three-module quiet zone."""
    drawing = Drawing(size, size)
    drawing.add(_QrCode(url, barWidth=size, barHeight=size, barLevel="M", barBorder=3))
    return drawing


def _cut_lines(canvas: Canvas) -> None:
    page_width, page_height = A4
    canvas.saveState()
    canvas.setStrokeColor(HAIRLINE)
    canvas.setLineWidth(0.4)
    canvas.setDash(2, 3)
    canvas.line(BADGE_WIDTH, 0, BADGE_WIDTH, page_height)
    for row in range(1, 4):
        canvas.line(0, row * BADGE_HEIGHT, page_width, row * BADGE_HEIGHT)
    canvas.restoreState()


def _draw_badge(canvas: Canvas, writer: PackWriter, heading: list[tuple[Paragraph, float]], person: PackPerson, x, y):
    """One badge with its lower left corner at (x, y)."""
    rtl = writer.rtl
    inner = BADGE_WIDTH - 2 * BADGE_MARGIN
    top = y + BADGE_HEIGHT - 5.5 * mm
    for paragraph, height in heading:
        top -= height
        paragraph.drawOn(canvas, x + BADGE_MARGIN, top)
    rule = top - 1.5 * mm
    canvas.setStrokeColor(ACCENT)
    canvas.setLineWidth(1.2)
    canvas.line(x + BADGE_MARGIN, rule, x + BADGE_WIDTH - BADGE_MARGIN, rule)
    bottom = y + 5 * mm
    area = rule - 2 * mm - bottom

    number = _("No. %(number)d") % {"number": person.number}
    if person.check_in_url:
        text_width = inner - QR_SIZE - 3 * mm
        qr_x = x + BADGE_MARGIN if rtl else x + BADGE_WIDTH - BADGE_MARGIN - QR_SIZE
        text_x = qr_x + QR_SIZE + 3 * mm if rtl else x + BADGE_MARGIN
        label, label_height = fit_paragraph(
            writer, number, width=QR_SIZE, height=14, size=9, min_size=6, bold=True, color=BRAND, align="center"
        )
        qr_bottom = bottom + (area - QR_SIZE - label_height) / 2 + label_height
        renderPDF.draw(qr_drawing(person.check_in_url), canvas, qr_x, qr_bottom)
        label.drawOn(canvas, qr_x, qr_bottom - label_height + 1.5 * mm)
    else:
        text_width = inner
        text_x = x + BADGE_MARGIN
        label, label_height = fit_paragraph(writer, number, width=inner, height=14, size=9, min_size=6, bold=True,
                                            color=BRAND)  # fmt: skip
        label.drawOn(canvas, text_x, bottom)
        area -= label_height

    name = person.name
    # The passport name under the preferred one: two Marias of a cohort are told apart at a glance.
    full_name = " ".join(person.full_name.split())
    full_name = full_name if full_name != name else ""
    native = person.native_name.strip()
    native = native if native not in (name, person.full_name) else ""
    blocks = [fit_paragraph(writer, name, width=text_width, height=62 if not (full_name and native) else 50, size=26,
                            min_size=12, max_lines=2, bold=True)]  # fmt: skip
    gaps = [1 * mm if full_name else 2 * mm]
    if full_name:
        blocks.append(fit_paragraph(writer, full_name, width=text_width, height=26, size=11, min_size=7,
                                    max_lines=2, one_line_from=0.9))  # fmt: skip
        gaps.append(2 * mm)
    if native:
        blocks.append(fit_paragraph(writer, native, width=text_width, height=34 if not full_name else 26, size=15,
                                    min_size=8, max_lines=2))  # fmt: skip
        gaps.append(2 * mm)
    if person.organisation:
        blocks.append(fit_paragraph(writer, person.organisation, width=text_width, height=28, size=10, min_size=6.5,
                                    max_lines=2, color=MUTED, one_line_from=0.9))  # fmt: skip
        gaps.append(0.5 * mm)
    if person.country:
        blocks.append(fit_paragraph(writer, person.country, width=text_width, height=18, size=10, min_size=6.5,
                                    bold=True, color=BRAND))  # fmt: skip
        gaps.append(0)
    gaps[-1] = 0
    total = sum(height for _paragraph, height in blocks) + sum(gaps)
    squeeze = min(1, max(0, area - sum(height for _paragraph, height in blocks)) / (sum(gaps) or 1))
    cursor = bottom + area - max(0, (area - total) / 2)
    for (paragraph, height), gap in zip(blocks, gaps, strict=True):
        cursor -= height
        paragraph.drawOn(canvas, text_x, cursor)
        cursor -= gap * squeeze


def build_badges(
    session: PackSession, people: Sequence[PackPerson], *, progress: Callable[[int], None] | None = None
) -> bytes:
    """Name badges, eight to an A4 sheet (2 × 4, 105 × 74.25 mm) with dashed cut lines."""
    with translation.override(session.language):
        writer = PackWriter(rtl=translation.get_language_bidi(), width=BADGE_WIDTH - 2 * BADGE_MARGIN)
        buffer = io.BytesIO()
        canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
        canvas.setTitle(_("Badges: %(session)s") % {"session": session.title})
        canvas.setAuthor(session.host or "Attaché")
        inner = BADGE_WIDTH - 2 * BADGE_MARGIN
        heading = [
            fit_paragraph(writer, session.programme, width=inner, height=11, size=7.5, min_size=5, color=MUTED),
            fit_paragraph(writer, session.title, width=inner, height=13, size=8.5, min_size=5.5, bold=True,
                          color=BRAND),
        ]  # fmt: skip
        for done, person in enumerate(people, start=1):
            slot = (done - 1) % BADGES_PER_PAGE
            column, row = slot % 2, slot // 2
            if writer.rtl:
                column = 1 - column  # Arabic readers start at the top right
            _draw_badge(canvas, writer, heading, person, column * BADGE_WIDTH, A4[1] - (row + 1) * BADGE_HEIGHT)
            if slot == BADGES_PER_PAGE - 1 or done == len(people):
                _cut_lines(canvas)
                canvas.showPage()
                if progress:
                    progress(done)
        if not people:
            _cut_lines(canvas)
            canvas.showPage()
        canvas.save()
        return buffer.getvalue()


# --- Sign-in sheets ----------------------------------------------------------------------------------------------

SHEET_MARGIN = 15 * mm
SHEET_WIDTH = A4[0] - 2 * SHEET_MARGIN
SIGNING_HEIGHT = 11 * mm
CELL_PADDING = 4


def _sheet_columns(rtl: bool) -> list[float]:
    widths = [11 * mm, 58 * mm, 44 * mm]
    widths.append(SHEET_WIDTH - sum(widths))
    return list(reversed(widths)) if rtl else widths


def _sheet_row(writer: PackWriter, person: PackPerson, widths: list[float]) -> tuple[list, float]:
    """The cells of one person's row (in logical order) and the row's height."""
    number_width, name_width, organisation_width, _signature = (w - 2 * CELL_PADDING for w in widths)
    # As the badge and every page: the name people go by (the sheet's order), then the passport name.
    name = person.name
    cells = [
        [fit_paragraph(writer, str(person.number), width=number_width, height=40, size=9.5, min_size=6,
                       align="center")],
        [fit_paragraph(writer, name, width=name_width, height=60, size=9.5, min_size=7, max_lines=3, bold=True,
                       one_line_from=1)],
        [fit_paragraph(writer, person.organisation, width=organisation_width, height=60, size=9, min_size=6.5,
                       max_lines=3, one_line_from=1)],
        [],
    ]  # fmt: skip
    full_name = " ".join(person.full_name.split())
    if full_name and full_name != name:
        cells[1].append(fit_paragraph(writer, full_name, width=name_width, height=40, size=9, min_size=6.5,
                                      max_lines=2))  # fmt: skip
    native = person.native_name.strip()
    if native and native not in (name, person.full_name):
        cells[1].append(fit_paragraph(writer, native, width=name_width, height=40, size=9.5, min_size=6.5,
                                      max_lines=2, color=MUTED))  # fmt: skip
    if person.country:
        cells[2].append(fit_paragraph(writer, person.country, width=organisation_width, height=20, size=8, min_size=6,
                                      color=MUTED))  # fmt: skip
    height = max(sum(h for _p, h in cell) for cell in cells) + 2 * CELL_PADDING
    return [[paragraph for paragraph, _h in cell] for cell in cells], max(height, SIGNING_HEIGHT)


def _sheet_table(rows: list[list], heights: list[float], widths: list[float], rtl: bool) -> Table:
    if rtl:
        rows = [list(reversed(row)) for row in rows]
    table = Table(rows, colWidths=widths, rowHeights=heights, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, HAIRLINE),
                ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
                ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
                ("TOPPADDING", (0, 0), (-1, -1), CELL_PADDING),
                ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_PADDING),
            ]
        )
    )
    return table


def _day_heading(writer: PackWriter, session: PackSession, number: int, day: datetime.date | None):
    width = SHEET_WIDTH
    day_line = (
        _("Day %(number)d – %(date)s") % {"number": number, "date": date_format(day, "l j F Y")}
        if day
        else _("Date: %(blank)s") % {"blank": "…" * 12}
    )
    return [
        fit_paragraph(writer, _("Sign-in sheet") + " · " + session.programme, width=width, height=13, size=8.5,
                      min_size=6, color=MUTED),
        fit_paragraph(writer, session.title, width=width, height=40, size=14, min_size=9, max_lines=2, bold=True),
        fit_paragraph(writer, day_line, width=width, height=20, size=12, min_size=8, bold=True, color=BRAND),
        fit_paragraph(writer, session.place, width=width, height=28, size=9.5, min_size=7, max_lines=2),
    ]  # fmt: skip


def _build_sign_in_sheets(
    session: PackSession, people: Sequence[PackPerson], progress: Callable[[int], None] | None = None
) -> bytes:
    with translation.override(session.language):
        writer = PackWriter(rtl=translation.get_language_bidi(), width=SHEET_WIDTH)
        widths = _sheet_columns(writer.rtl)
        logical = list(reversed(widths)) if writer.rtl else widths
        header_labels = [_("No."), _("Name"), _("Organisation"), _("Signature")]
        header_height = 0.0
        for label, width in zip(header_labels, logical, strict=True):
            _p, height = fit_paragraph(writer, label, width=width - 2 * CELL_PADDING, height=30, size=9, min_size=6,
                                       bold=True)  # fmt: skip
            header_height = max(header_height, height + 2 * CELL_PADDING)
        # Rows are measured once; each day's pages draw them afresh, so only one page of paragraphs is alive.
        heights = [_sheet_row(writer, person, logical)[1] for person in people]
        buffer = io.BytesIO()
        canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
        canvas.setTitle(_("Sign-in sheets: %(session)s") % {"session": session.title})
        canvas.setAuthor(session.host or "Attaché")
        days = list(enumerate(session.days, start=1)) or [(1, None)]
        for number, day in days:
            heading = _day_heading(writer, session, number, day)
            top = A4[1] - SHEET_MARGIN - sum(h for _p, h in heading) - 4 * mm
            available = top - SHEET_MARGIN - 8 * mm - header_height
            pages, page, used = [], [], 0.0
            for index, height in enumerate(heights):
                if page and used + height > available:
                    pages.append(page)
                    page, used = [], 0.0
                page.append(index)
                used += height
            pages.append(page)
            for page_number, indexes in enumerate(pages, start=1):
                cursor = A4[1] - SHEET_MARGIN
                for paragraph, height in heading:
                    cursor -= height
                    paragraph.drawOn(canvas, SHEET_MARGIN, cursor)
                header = [
                    [fit_paragraph(writer, label, width=width - 2 * CELL_PADDING, height=30, size=9, min_size=6,
                                   bold=True)[0]]
                    for label, width in zip(header_labels, logical, strict=True)
                ]  # fmt: skip
                rows = [header] + [_sheet_row(writer, people[index], logical)[0] for index in indexes]
                table = _sheet_table(rows, [header_height] + [heights[i] for i in indexes], widths, writer.rtl)
                _width, table_height = table.wrapOn(canvas, SHEET_WIDTH, available + header_height)
                table.drawOn(canvas, SHEET_MARGIN, top - table_height)
                footer, _h = fit_paragraph(
                    writer,
                    _("%(day)s · page %(page)d of %(pages)d")
                    % {"day": _("Day %(number)d") % {"number": number}, "page": page_number, "pages": len(pages)},
                    width=SHEET_WIDTH, height=12, size=8, min_size=6, color=MUTED,
                )  # fmt: skip
                footer.drawOn(canvas, SHEET_MARGIN, SHEET_MARGIN - 4 * mm)
                canvas.showPage()
            if progress:
                progress(number)
        canvas.save()
        return buffer.getvalue()


def build_sign_in_sheets(session: PackSession, people: Sequence[PackPerson]) -> bytes:
    """One sign-in sheet per day of the session (new page each day), the header row repeated on every page."""
    return _build_sign_in_sheets(session, people)


# --- Certificates ------------------------------------------------------------------------------------------------

CERTIFICATE_SIZE = landscape(A4)


def _certificate_border(canvas: Canvas) -> None:
    width, height = CERTIFICATE_SIZE
    canvas.saveState()
    canvas.setStrokeColor(BRAND)
    canvas.setLineWidth(3)
    canvas.rect(10 * mm, 10 * mm, width - 20 * mm, height - 20 * mm)
    canvas.setLineWidth(0.7)
    canvas.rect(13 * mm, 13 * mm, width - 26 * mm, height - 26 * mm)
    canvas.setStrokeColor(ACCENT)
    canvas.setLineWidth(1.5)
    corner = 9 * mm
    for x, y, dx, dy in [(13, 13, 1, 1), (13, None, 1, -1), (None, 13, -1, 1), (None, None, -1, -1)]:
        cx = x * mm if x is not None else width - 13 * mm
        cy = y * mm if y is not None else height - 13 * mm
        canvas.line(cx + dx * 2 * mm, cy + dy * 2 * mm, cx + dx * (2 * mm + corner), cy + dy * 2 * mm)
        canvas.line(cx + dx * 2 * mm, cy + dy * 2 * mm, cx + dx * 2 * mm, cy + dy * (2 * mm + corner))
    canvas.restoreState()


def _signatures(writer: PackWriter, signatories: tuple[tuple[str, str], ...], canvas: Canvas) -> None:
    """Signature lines side by side, each with a name and role under it; the first on the right in Arabic."""
    if not signatories:
        return
    page_width = CERTIFICATE_SIZE[0]
    usable = page_width - 2 * 30 * mm
    column = min(usable / len(signatories), 85 * mm)
    start = (page_width - column * len(signatories)) / 2
    order = list(reversed(signatories)) if writer.rtl else list(signatories)
    line_y = SIGNATURE_LINE
    for index, (name, role) in enumerate(order):
        left = start + index * column
        line_width = column - 10 * mm
        canvas.setStrokeColor(INK)
        canvas.setLineWidth(0.6)
        canvas.line(left + 5 * mm, line_y, left + 5 * mm + line_width, line_y)
        cursor = line_y - 1.5 * mm
        for text, size, bold, color in [(name, 10.5, True, INK), (role, 9, False, MUTED)]:
            if not text:
                continue
            paragraph, height = fit_paragraph(writer, text, width=line_width, height=26, size=size, min_size=6,
                                              max_lines=2, bold=bold, color=color, align="center")  # fmt: skip
            cursor -= height
            paragraph.drawOn(canvas, left + 5 * mm, cursor)


def _stack(blocks: list[tuple[tuple[Paragraph, float], float]], canvas: Canvas, x: float, top: float, room: float):
    """Draws (paragraph, height), gap-after pairs down from top, centred in room; gaps shrink if room is short."""
    heights = sum(height for (_paragraph, height), _gap in blocks)
    gaps = sum(gap for _block, gap in blocks[:-1])
    squeeze = min(1, max(0, room - heights) / (gaps or 1))
    cursor = top - max(0, (room - heights - gaps) / 2)
    for index, ((paragraph, height), gap) in enumerate(blocks):
        cursor -= height
        paragraph.drawOn(canvas, x, cursor)
        if index < len(blocks) - 1:
            cursor -= gap * squeeze


CERTIFICATE_MARGIN = 32 * mm  # from the page edge to the text, inside the border
SIGNATURE_LINE = 38 * mm  # height of the signature lines above the bottom of the page


def _certificate_block(writer: PackWriter, text: str, size: float, min_size: float, *, lines: int = 1,
                       bold: bool = False, color=None) -> tuple[Paragraph, float]:  # fmt: skip
    width = CERTIFICATE_SIZE[0] - 2 * CERTIFICATE_MARGIN
    return fit_paragraph(writer, text, width=width, height=size * 2 * lines, size=size, min_size=min_size,
                         max_lines=lines, bold=bold, color=color, align="center")  # fmt: skip


def _certificate_parts(writer: PackWriter, session: PackSession) -> dict:
    """What every certificate of the session shares, laid out once."""
    heading = []
    if session.host:
        heading.append((_certificate_block(writer, session.host, 11, 7, color=MUTED), 3 * mm))
    heading.append((_certificate_block(writer, _("Certificate of completion"), 34, 16, bold=True, color=BRAND), 0))
    if session.start == session.end:
        dates = _("on %(date)s") % {"date": date_format(session.start, "j F Y")}
    else:
        dates = _("from %(start)s to %(end)s") % {
            "start": date_format(session.start, "j F Y"),
            "end": date_format(session.end, "j F Y"),
        }
    count = len(session.days) or (session.end - session.start).days + 1
    dates += " · " + ngettext("%(count)d day", "%(count)d days", count) % {"count": count}
    details = [
        (_certificate_block(writer, _("took part in the training programme"), 12, 8, color=MUTED), 3 * mm),
        (_certificate_block(writer, session.programme, 19, 10, lines=2, bold=True), 1.5 * mm),
        (_certificate_block(writer, session.title, 14, 8, lines=2, color=BRAND), 6 * mm),
        (_certificate_block(writer, dates, 11, 7), 1.5 * mm),
    ]
    if session.place:
        details.append((_certificate_block(writer, session.place, 11, 7, lines=2), 0))
    return {"heading": heading, "details": details}


def _draw_certificate(canvas: Canvas, writer: PackWriter, session: PackSession, person: PackPerson, parts: dict):
    width, height = CERTIFICATE_SIZE
    top = height - 24 * mm
    heading_height = sum(h for (_p, h), _gap in parts["heading"]) + sum(gap for _b, gap in parts["heading"])
    _stack(parts["heading"], canvas, CERTIFICATE_MARGIN, top, heading_height)
    rule = top - heading_height - 3 * mm
    canvas.setStrokeColor(ACCENT)
    canvas.setLineWidth(1.5)
    canvas.line(width / 2 - 20 * mm, rule, width / 2 + 20 * mm, rule)

    blocks = [
        (_certificate_block(writer, _("This certifies that"), 12, 8, color=MUTED), 3 * mm),
        (_certificate_block(writer, person.full_name, 32, 14, lines=2, bold=True), 2 * mm),
    ]
    native = person.native_name.strip()
    if native and native != person.full_name:
        blocks.append((_certificate_block(writer, native, 20, 9, lines=2), 2 * mm))
    blocks[-1] = (blocks[-1][0], 8 * mm)
    blocks += parts["details"]
    bottom = SIGNATURE_LINE + 8 * mm if session.signatories else 24 * mm
    _stack(blocks, canvas, CERTIFICATE_MARGIN, rule - 6 * mm, rule - 6 * mm - bottom)
    _signatures(writer, session.signatories, canvas)


def build_certificates(
    session: PackSession, people: Sequence[PackPerson], *, progress: Callable[[int], None] | None = None
) -> bytes:
    """One A4 landscape certificate of completion per person, with the session's signatories."""
    with translation.override(session.language):
        writer = PackWriter(rtl=translation.get_language_bidi(), width=CERTIFICATE_SIZE[0] - 64 * mm)
        buffer = io.BytesIO()
        canvas = Canvas(buffer, pagesize=CERTIFICATE_SIZE, pageCompression=1)
        canvas.setTitle(_("Certificates of completion: %(session)s") % {"session": session.title})
        canvas.setAuthor(session.host or "Attaché")
        parts = _certificate_parts(writer, session)
        for done, person in enumerate(people, start=1):
            _certificate_border(canvas)
            _draw_certificate(canvas, writer, session, person, parts)
            canvas.showPage()
            if progress and (done % PROGRESS_EVERY == 0 or done == len(people)):
                progress(done)
        if not people:
            canvas.showPage()
        canvas.save()
        return buffer.getvalue()


# --- The pack ----------------------------------------------------------------------------------------------------


def write_pack_zip(
    session: PackSession,
    people: Sequence[PackPerson],
    certified: Sequence[PackPerson],
    destination,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """Badges, sign-in sheets and (when anyone earned one) certificates, zipped into destination (path or file)."""
    days = len(session.days) or 1  # with no days, one undated sheet
    total = len(people) + days + len(certified)
    reported = -1

    def report(done: int) -> None:
        nonlocal reported
        if progress and done > reported:
            reported = done
            progress(done, total)

    def step(offset: int) -> Callable[[int], None]:
        return lambda done: report(offset + done)

    with zipfile.ZipFile(destination, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("badges.pdf", build_badges(session, people, progress=step(0)))
        archive.writestr("sign-in-sheets.pdf", _build_sign_in_sheets(session, people, progress=step(len(people))))
        if certified:
            archive.writestr(
                "certificates.pdf", build_certificates(session, certified, progress=step(len(people) + days))
            )
        else:
            with translation.override(session.language):
                note = _(
                    "No certificates yet: nobody has reached the attendance needed for a certificate of completion."
                )
            archive.writestr("README.txt", note + "\n")
    report(total)
