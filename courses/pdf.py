"""PDFs that print every script of the brief correctly: Latin and Vietnamese, Arabic (joined, right to left),
Thai, Khmer, Lao, Burmese, Devanagari and Bengali (shaped with HarfBuzz).

reportlab cannot do bidi itself, so Arabic text is reshaped and reordered here, one line at a time (a whole
paragraph reordered then wrapped would put its end on the first line). Other complex scripts are shaped by
reportlab's Paragraph(shaping=1), which calls uharfbuzz.
"""

from __future__ import annotations

import html
import io
import re
import unicodedata
from functools import cache
from itertools import groupby
from pathlib import Path

import arabic_reshaper
from bidi.algorithm import get_display
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONT_DIR = Path(__file__).resolve().parent / "fonts"

# script -> (regular, bold) font file stems
SCRIPT_FONTS = {
    "latin": ("NotoSans-Regular", "NotoSans-Bold"),
    "arabic": ("NotoNaskhArabic-Regular", "NotoNaskhArabic-Bold"),
    "thai": ("NotoSansThai-Regular", "NotoSansThai-Bold"),
    "lao": ("NotoSansLao-Regular", "NotoSansLao-Bold"),
    "khmer": ("NotoSansKhmer-Regular", "NotoSansKhmer-Bold"),
    "myanmar": ("NotoSansMyanmar-Regular", "NotoSansMyanmar-Bold"),
    "devanagari": ("NotoSansDevanagari-Regular", "NotoSansDevanagari-Regular"),
    "bengali": ("NotoSansBengali-Regular", "NotoSansBengali-Regular"),
}
SCRIPT_RANGES = [
    (0x0600, 0x06FF, "arabic"), (0x0750, 0x077F, "arabic"), (0x08A0, 0x08FF, "arabic"),
    (0xFB50, 0xFDFF, "arabic"), (0xFE70, 0xFEFF, "arabic"),
    (0x0900, 0x097F, "devanagari"), (0x0980, 0x09FF, "bengali"),
    (0x0E00, 0x0E7F, "thai"), (0x0E80, 0x0EFF, "lao"),
    (0x1000, 0x109F, "myanmar"), (0xAA60, 0xAA7F, "myanmar"), (0xA9E0, 0xA9FF, "myanmar"),
    (0x1780, 0x17FF, "khmer"), (0x19E0, 0x19FF, "khmer"),
]  # fmt: skip
SHAPED_SCRIPTS = {"thai", "lao", "khmer", "myanmar", "devanagari", "bengali"}


@cache
def register_fonts() -> None:
    for regular, bold in SCRIPT_FONTS.values():
        for stem in {regular, bold}:
            pdfmetrics.registerFont(TTFont(stem, str(FONT_DIR / f"{stem}.ttf")))


def script_of(char: str) -> str | None:
    """The script of a letter, or None for spaces, digits and punctuation (they follow their neighbours)."""
    code = ord(char)
    for start, end, script in SCRIPT_RANGES:
        if start <= code <= end:
            return script
    if char.isalpha():
        return "latin"
    return None


def split_runs(text: str) -> list[tuple[str, str]]:
    """Cut text into (script, run) pieces; neutral characters join the run before them."""
    runs: list[list] = []
    for char in text:
        script = script_of(char)
        if runs and (script is None or script == runs[-1][0]):
            runs[-1][1] += char
        elif runs and runs[-1][0] is None:
            runs[-1][0] = script
            runs[-1][1] += char
        else:
            runs.append([script, char])
    return [(script or "latin", run) for script, run in runs]


def _font(script: str, bold: bool) -> str:
    regular, bold_font = SCRIPT_FONTS[script]
    return bold_font if bold else regular


@cache
def _glyphs(font_name: str) -> frozenset[int]:
    return frozenset(pdfmetrics.getFont(font_name).face.charToGlyph)


def _markup(visual_text: str, bold: bool) -> str:
    """Each run in its script's font; a character that font lacks is written in Noto Sans.

    Punctuation and digits follow the run before them, but Noto Naskh Arabic has no parentheses, hyphen, dash or
    middle dot, and Noto Sans Thai, Lao and Myanmar no digits: without the fallback they would vanish. In a
    script HarfBuzz shapes, reportlab shapes a whole word in its first font, so the fallback applies only to
    pieces that stand apart (a year, a dash), never inside a word.
    """
    fallback = _font("latin", bold)
    parts = []
    for script, run in split_runs(visual_text):
        font = _font(script, bold)
        glyphs = _glyphs(font)
        shaped = script in SHAPED_SCRIPTS
        position = 0
        # Joiners stay inside their run, or HarfBuzz would shape the cluster in two halves.
        for in_font, piece in groupby(run, key=lambda char: ord(char) in glyphs or unicodedata.category(char) == "Cf"):
            piece = "".join(piece)
            before = run[position - 1] if position else " "
            after = run[position + len(piece)] if position + len(piece) < len(run) else " "
            position += len(piece)
            apart = before.isspace() and after.isspace()
            face = font if in_font or (shaped and not apart) else fallback
            parts.append(f'<font face="{face}">{html.escape(piece, quote=False)}</font>')
    return "".join(parts)


def _width(visual_text: str, size: float, bold: bool) -> float:
    return sum(pdfmetrics.stringWidth(run, _font(script, bold), size) for script, run in split_runs(visual_text))


# Invisible marks that set direction (LRM, RLM, ALM, embeddings, overrides, isolates). Arabic keyboards and
# phones type them into names; the PDFs lay out direction themselves, and python-bidi 0.6 fails on most of them.
BIDI_CONTROLS = dict.fromkeys(map(ord, "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))


def _visual(text: str) -> str:
    return get_display(arabic_reshaper.reshape(text.translate(BIDI_CONTROLS)))


def _rtl_lines(text: str, width: float, size: float, bold: bool) -> list[str]:
    """Break logical Arabic text into lines that fit, then put each line in visual order."""
    lines, current = [], ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if current and _width(_visual(candidate), size, bold) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return [_visual(line) for line in lines]


def has_arabic(text: str) -> bool:
    return any(script_of(char) == "arabic" for char in text)


def starts_right_to_left(text: str) -> bool:
    """The direction of a paragraph follows its first strong letter (the Unicode bidi rule)."""
    for char in text:
        if char.isalpha():
            return script_of(char) == "arabic"
    return False


class Writer:
    """Builds paragraphs for one document, in its direction, with the right font for every run of text."""

    def __init__(self, *, rtl: bool, width: float):
        register_fonts()
        self.rtl = rtl
        self.width = width
        self.styles = {
            "title": ParagraphStyle("title", fontName="NotoSans-Bold", fontSize=22, leading=30, spaceAfter=10),
            "h1": ParagraphStyle("h1", fontName="NotoSans-Bold", fontSize=15, leading=21, spaceBefore=12, spaceAfter=6),
            "h2": ParagraphStyle("h2", fontName="NotoSans-Bold", fontSize=12, leading=17, spaceBefore=8, spaceAfter=3),
            "body": ParagraphStyle("body", fontName="NotoSans-Regular", fontSize=10, leading=15, spaceAfter=4),
            "small": ParagraphStyle(
                "small", fontName="NotoSans-Regular", fontSize=8.5, leading=12, textColor=colors.HexColor("#555555")
            ),
            "cell": ParagraphStyle("cell", fontName="NotoSans-Regular", fontSize=9.5, leading=13),
        }

    def para(
        self, text: str, style: str = "body", *, bold: bool | None = None, width: float | None = None,
        align: str = "natural",
    ) -> Paragraph:  # fmt: skip
        """A paragraph in the right fonts; align is "natural" (the document's side, or the text's own when it
        starts right to left), "start" (the document's side) or "center"."""
        base = self.styles[style]
        bold = base.fontName.endswith("Bold") if bold is None else bold
        text = unicodedata.normalize("NFC", text or "").translate(BIDI_CONTROLS)
        if align == "center":
            alignment = TA_CENTER
        elif align == "start":
            alignment = TA_RIGHT if self.rtl else TA_LEFT
        else:
            alignment = TA_RIGHT if self.rtl or starts_right_to_left(text) else TA_LEFT
        if has_arabic(text):
            # Frames and table cells pad 6 pt on each side; keep a margin so reportlab never re-wraps a line.
            lines = _rtl_lines(text, (width or self.width) - 16, base.fontSize, bold)
            markup = "<br/>".join(_markup(line, bold) for line in lines)
            shaping = 0  # the text is already joined and ordered; HarfBuzz would reverse it again
        else:
            markup = _markup(text, bold)
            shaping = int(any(script in SHAPED_SCRIPTS for script, _run in split_runs(text)))
        return Paragraph(
            markup, ParagraphStyle(f"{style}-{alignment}-{shaping}", parent=base, alignment=alignment, shaping=shaping)
        )

    def bullets(self, items: list[str], style: str = "body") -> list[Paragraph]:
        mark = "•"
        return [
            self.para(f"{item} {mark}" if self.rtl and not has_arabic(item) else f"{mark} {item}", style)
            for item in items
        ]


def richtext_blocks(value: str) -> list[str]:
    """Wagtail rich text as plain paragraphs; list items start with a bullet."""
    text = str(value or "")
    text = re.sub(r"<li[^>]*>", "\n• ", text)
    text = re.sub(r"</(p|li|h\d|ul|ol)>|<br\s*/?>", "\n", text)
    text = html.unescape(re.sub(r"<[^>]+>", "", text))
    return [line.strip() for line in text.splitlines() if line.strip()]


def render(story: list, *, title: str, author: str = "Attaché") -> bytes:
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=18 * mm, bottomMargin=18 * mm,
        title=title, author=author,
    )  # fmt: skip
    document.build(story)
    return buffer.getvalue()


FRAME_WIDTH = A4[0] - 36 * mm


def table(writer: Writer, rows: list[list[str]], widths: list[float]) -> Table:
    if writer.rtl:
        rows = [list(reversed(row)) for row in rows]
        widths = list(reversed(widths))
    cells = [[writer.para(text, "cell", width=w) for text, w in zip(row, widths, strict=True)] for row in rows]
    result = Table(cells, colWidths=widths, repeatRows=0)
    result.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#cccccc")),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return result


__all__ = ["Writer", "render", "richtext_blocks", "table", "FRAME_WIDTH", "Spacer", "mm"]
