"""The network drawn on the server as SVG: a map of people and ties, and the figures over time. Each picture
comes with a table on its page (nothing is in the picture, or in colour, alone)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

MAX_NODES = 400
SIZE = 640
CHART_WIDTH = 560
CHART_HEIGHT = 280

HIDDEN = "hidden"
# Category → (colour, shape): colour and shape both differ, so no one needs colour to tell them apart.
STYLES = {
    "government": ("#0b5c7a", "circle"),
    "civil_society": ("#a84d00", "square"),
    "other": ("#6c3483", "triangle"),
    HIDDEN: ("#6c757d", "diamond"),
}
EDGE = "#495057"
TIES_COLOUR = "#3d8fb0"
SHARE_COLOUR = "#8a5a00"


@dataclass(frozen=True, slots=True)
class MapNode:
    """A person on the map: `category` is a sector or HIDDEN; `group` orders people along their arc."""

    key: int
    category: str
    title: str
    group: tuple = ()
    is_self: bool = False


@dataclass(frozen=True, slots=True)
class MapEdge:
    a: int
    b: int
    confirmed: bool


def category_labels() -> dict[str, str]:
    """What each category of node is called in legends and titles."""
    return {
        "government": _("Government"),
        "civil_society": _("Civil society"),
        "other": _("Other sector"),
        HIDDEN: _("Sector not shared"),
    }


def _shape(category: str, x: float, y: float, r: float, *, extra: str = "") -> str:
    colour, shape = STYLES[category]
    paint = f'fill="{colour}" stroke="#ffffff" stroke-width="1"{extra}'
    if shape == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" {paint}/>'
    if shape == "square":
        side = r * 1.8
        return f'<rect x="{x - side / 2:.1f}" y="{y - side / 2:.1f}" width="{side:.1f}" height="{side:.1f}" {paint}/>'
    if shape == "triangle":
        h = r * 1.25
        points = f"{x:.1f},{y - h:.1f} {x + h:.1f},{y + h * 0.8:.1f} {x - h:.1f},{y + h * 0.8:.1f}"
        return f'<polygon points="{points}" {paint}/>'
    d = r * 1.35
    points = f"{x:.1f},{y - d:.1f} {x + d:.1f},{y:.1f} {x:.1f},{y + d:.1f} {x - d:.1f},{y:.1f}"
    return f'<polygon points="{points}" {paint}/>'


def _arcs(counts: dict[str, int]) -> dict[str, tuple[float, float]]:
    """Angles (degrees, SVG: 0 right, 90 down) of each category's arc: government left, civil society right,
    other at the bottom, not shared at the top, so that ties across sectors cross the middle."""
    total = sum(counts.values()) or 1
    gap = 8.0

    def span(category: str, largest: float) -> float:
        return min(largest, max(24.0, 360 * counts[category] / total)) if counts.get(category) else 0.0

    bottom, top = span("other", 80), span(HIDDEN, 140)
    arcs = {}
    if bottom:
        arcs["other"] = (90 - bottom / 2 + gap / 2, 90 + bottom / 2 - gap / 2)
    if top:
        arcs[HIDDEN] = (270 - top / 2 + gap / 2, 270 + top / 2 - gap / 2)
    arcs["government"] = (90 + bottom / 2 + gap, 270 - top / 2 - gap)
    arcs["civil_society"] = (270 + top / 2 + gap, 450 - bottom / 2 - gap)
    return arcs


def layout(nodes: Sequence[MapNode]) -> dict[int, tuple[float, float]]:
    """Where each node stands: on a circle, in its category's arc, ordered by group then key."""
    centre, radius = SIZE / 2, SIZE / 2 - 40
    by_category: dict[str, list[MapNode]] = {}
    for node in nodes:
        by_category.setdefault(node.category, []).append(node)
    arcs = _arcs({category: len(members) for category, members in by_category.items()})
    positions = {}
    for category, members in by_category.items():
        low, high = arcs[category]
        members.sort(key=lambda node: (node.group, node.key))
        for index, node in enumerate(members):
            angle = math.radians(low + (high - low) * (index + 0.5) / len(members))
            positions[node.key] = (centre + radius * math.cos(angle), centre + radius * math.sin(angle))
    return positions


def network_map(*, nodes: Sequence[MapNode], edges: Sequence[MapEdge], title: str, description: str,
                id_prefix: str = "network-map") -> SafeString | None:  # fmt: skip
    """The map as SVG, or None above MAX_NODES people (too many to read: the page points to the table)."""
    if len(nodes) > MAX_NODES or not nodes:
        return None
    positions = layout(nodes)
    radius = max(3.0, min(9.0, 260 / max(len(nodes), 1)))
    opacity = 0.8 if len(edges) < 100 else 0.45
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE} {SIZE}" class="network-map" width="100%" '
        f'style="max-width: 40rem; height: auto" role="img" '
        f'aria-labelledby="{id_prefix}-title {id_prefix}-desc">'
        f'<title id="{id_prefix}-title">{escape(title)}</title>'
        f'<desc id="{id_prefix}-desc">{escape(description)}</desc>',
        f'<g stroke="{EDGE}" stroke-opacity="{opacity}" stroke-width="1.4" fill="none">',
    ]
    for edge in edges:
        if edge.a not in positions or edge.b not in positions:
            continue
        (x1, y1), (x2, y2) = positions[edge.a], positions[edge.b]
        dash = "" if edge.confirmed else ' stroke-dasharray="5 4"'
        parts.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}"{dash}/>')
    parts.append("</g><g>")
    labels = category_labels()
    for node in nodes:
        x, y = positions[node.key]
        tooltip = node.title if node.title else labels[node.category]
        ring = ""
        if node.is_self:
            ring = (f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius * 2.2:.1f}" fill="none" stroke="#212529" '
                    f'stroke-width="2.5"/>')  # fmt: skip
        parts.append(f"<g><title>{escape(tooltip)}</title>{ring}{_shape(node.category, x, y, radius)}</g>")
        if node.is_self:
            anchor = "start" if x < SIZE / 2 else "end"
            shift = radius * 2.6 if x < SIZE / 2 else -radius * 2.6
            parts.append(
                f'<text x="{x + shift:.1f}" y="{y + 4:.1f}" text-anchor="{anchor}" font-size="15" font-weight="bold" '
                f'fill="#212529">{escape(_("You"))}</text>'
            )
    parts.append("</g></svg>")
    return mark_safe("".join(parts))  # every piece of text above is escaped


def legend(*, categories: Sequence[str], you: bool = False) -> SafeString:
    """The map's key, as an HTML list: each category's shape and colour, the two kinds of line, "You"."""
    labels = category_labels()
    items = []
    for category in categories:
        symbol = _shape(category, 9, 9, 6)
        items.append((mark_safe(symbol), labels[category]))
    if you:
        items.append((mark_safe('<circle cx="9" cy="9" r="7" fill="none" stroke="#212529" stroke-width="2.5"/>'),
                      _("You")))  # fmt: skip
    lines = [
        (mark_safe(f'<line x1="0" y1="9" x2="18" y2="9" stroke="{EDGE}" stroke-width="2"/>'),
         _("Confirmed: both people reported the tie")),
        (mark_safe(f'<line x1="0" y1="9" x2="18" y2="9" stroke="{EDGE}" stroke-width="2" stroke-dasharray="5 4"/>'),
         _("One-sided: reported by one of the two")),
    ]  # fmt: skip
    return format_html(
        '<ul class="list-unstyled d-flex flex-wrap gap-3 small mb-2">{}</ul>',
        format_html_join(
            "",
            '<li class="d-flex align-items-center gap-1"><svg width="18" height="18" viewBox="0 0 18 18" '
            'aria-hidden="true" focusable="false">{}</svg><span>{}</span></li>',
            [*items, *lines],
        ),
    )


def time_chart(rows: Sequence[tuple[str, int, float | None]], *, title: str, rtl: bool = False) -> SafeString:
    """Ties (columns) and the cross-sector share (a line of points, 0–100 %) for each period, oldest first; in
    a right-to-left page time runs leftwards. Every value is written beside its mark."""
    left, right, top, bottom = 16, 16, 56, 36
    plot_width, plot_height = CHART_WIDTH - left - right, CHART_HEIGHT - top - bottom
    most = max((ties for _label, ties, _share in rows), default=0) or 1
    slot = plot_width / max(len(rows), 1)
    baseline = top + plot_height
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {CHART_WIDTH} {CHART_HEIGHT}" class="chart" '
        f'role="img" aria-label="{escape(title)}" direction="{"rtl" if rtl else "ltr"}"><title>{escape(title)}</title>'
    ]
    # The key, at the top, starting on the reading side.
    key_x = CHART_WIDTH - left if rtl else left
    step = -1 if rtl else 1
    # Outside the f-strings: makemessages (xgettext) cannot see a translatable string inside one.
    ties_key = escape(_("Ties (columns)"))
    share_key = escape(_("Cross-sector share (points, %)"))
    parts.append(
        f'<rect x="{key_x - (12 if rtl else 0)}" y="10" width="12" height="12" fill="{TIES_COLOUR}"/>'
        f'<text x="{key_x + step * 18}" y="21" font-size="13" fill="#212529">{ties_key}</text>'
        f'<circle cx="{key_x + step * 6}" cy="38" r="5" fill="#ffffff" stroke="{SHARE_COLOUR}" stroke-width="2.5"/>'
        f'<text x="{key_x + step * 18}" y="43" font-size="13" fill="#212529">{share_key}</text>'
    )
    parts.append(f'<line x1="{left}" y1="{baseline}" x2="{CHART_WIDTH - right}" y2="{baseline}" stroke="#6c757d"/>')
    points = []
    for index, (label, ties, share) in enumerate(rows):
        slot_index = len(rows) - 1 - index if rtl else index
        middle = left + slot * (slot_index + 0.5)
        height = (plot_height - 20) * ties / most
        width = slot * 0.42
        parts.append(
            f'<rect x="{middle - width / 2:.1f}" y="{baseline - height:.1f}" width="{width:.1f}" '
            f'height="{max(height, 1):.1f}" fill="{TIES_COLOUR}"/>'
            f'<text x="{middle - width / 2 - 4:.1f}" y="{baseline - 4:.1f}" text-anchor="end" font-size="13" '
            f'fill="#212529" direction="ltr">{ties}</text>'
            f'<text x="{middle:.1f}" y="{baseline + 22}" text-anchor="middle" font-size="13" '
            f'fill="#212529">{escape(label)}</text>'
        )
        if share is not None:
            y = baseline - (plot_height - 20) * share
            points.append((middle, y))
            parts.append(
                f'<text x="{middle + 9:.1f}" y="{y - 8:.1f}" text-anchor="start" font-size="13" fill="#212529" '
                f'direction="ltr">{round(share * 100)} %</text>'
            )
    if len(points) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{SHARE_COLOUR}" stroke-width="2"/>')
    for x, y in points:
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="#ffffff" stroke="{SHARE_COLOUR}" stroke-width="2.5"/>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every piece of text above is escaped
