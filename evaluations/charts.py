"""Charts drawn on the server as SVG: horizontal bars that read in both directions. Each chart comes with a
table on its page (the figures are never in the picture alone)."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 150
VALUE_WIDTH = 56
WIDTH = 520
COLOURS = ["#0b5c7a", "#3d8fb0", "#8a5a00", "#146c43", "#6c3483", "#b02a37"]


def bar_chart(rows: list[tuple[str, float]], *, title: str, rtl: bool = False, unit: str = "",
              maximum: float | None = None, colour: str = COLOURS[0]) -> SafeString:  # fmt: skip
    """Bars for (label, value) rows, longest scale = `maximum` (default: the largest value). In a right-to-left
    page the labels stand on the right and the bars grow leftwards."""
    top = maximum if maximum else max((value for _label, value in rows), default=0) or 1
    height = len(rows) * (BAR_HEIGHT + GAP) + GAP
    track = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" class="chart" role="img" '
        f'aria-label="{escape(title)}" direction="{"rtl" if rtl else "ltr"}"><title>{escape(title)}</title>'
    ]
    for index, (label, value) in enumerate(rows):
        y = GAP + index * (BAR_HEIGHT + GAP)
        length = track * (value / top) if top else 0
        shown = f"{value:g}{unit}"
        if rtl:
            label_x, label_anchor = WIDTH, "start"
            bar_x = WIDTH - LABEL_WIDTH - length
            value_x, value_anchor = bar_x - 6, "start"
        else:
            label_x, label_anchor = 0, "start"
            bar_x = LABEL_WIDTH
            value_x, value_anchor = LABEL_WIDTH + length + 6, "start"
        text_y = y + BAR_HEIGHT * 0.7
        parts.append(
            f'<text x="{label_x}" y="{text_y:.1f}" text-anchor="{label_anchor}" font-size="13" fill="#212529">'
            f"{escape(_clip(label))}</text>"
            f'<rect x="{bar_x:.1f}" y="{y}" width="{max(length, 1):.1f}" height="{BAR_HEIGHT}" rx="3" '
            f'fill="{colour}"/>'
            f'<text x="{value_x:.1f}" y="{text_y:.1f}" text-anchor="{value_anchor}" font-size="13" '
            f'fill="#212529">{escape(shown)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every piece of text above is escaped


def _clip(label: str, limit: int = 24) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"
