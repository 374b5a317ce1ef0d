"""The alumni network in figures, computed from plain data (no database): ties, density, ties across sectors,
lasting ties and bridges, for each period after the session and for all time.

Definitions (the pages, the export and the tests use exactly these):

- Scope → nodes. Cohort scope: the users with an ATTENDED registration in the cohort. Programme scope: ATTENDED
  in any cohort of the programme. Country scope (the regional network): ATTENDED anywhere with
  Registration.country == X. A node carries: `sector`, the Registration.sector of the person's latest attended
  registration in scope (latest by session dates); `cohorts`, the set of their attended cohort ids in scope;
  `start`, the earliest session end date among those cohorts (their network clock starts there).
- Reports: the Tie rows whose reporter and other are both nodes of the scope:
  (reporter, other, reported_on, kind, source).
- Periods, by days = reported_on − the reporter's start: "end of session" if days ≤ 45; "3 months" if
  45 < days ≤ 135; "6 months" if 135 < days ≤ 272; "12 months" if days > 272.
- A tie is an unordered pair with at least one report, in either direction. It is confirmed when it was
  reported in both directions within the window considered, one-sided otherwise. Figures are given for each
  period and for all time (the union of the periods).
- n = nodes. ties; confirmed; one-sided; density = ties / (n(n−1)/2), 0 if n < 2. A cross-sector tie has one
  end in government and the other in civil society (the "other" sector never crosses); cross-sector share =
  cross-sector ties / ties (None when there are no ties); share of alumni with at least one cross-sector tie =
  such people / n (None when n = 0). Lasting ties: the pairs present in at least two of the follow-up periods
  (3, 6, 12 months); their count and their share of all-time ties (all time only).
- Bridges. Sector bridges: the people with at least one cross-sector tie, ranked by their number of distinct
  cross-sector contacts. Cohort bridges: the people tied to someone with whom they share no cohort (none in a
  cohort scope), ranked by the number of distinct other cohorts they reach that way. The top 10 of each.

Everything is sets and dicts: 10,000 nodes and 100,000 reports take about a second.
"""

from __future__ import annotations

import datetime
import gc
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from django.utils.translation import gettext_lazy as _

GOVERNMENT = "government"
CIVIL_SOCIETY = "civil_society"
OTHER = "other"
CROSSING = frozenset((GOVERNMENT, CIVIL_SOCIETY))

END_OF_SESSION = "end_of_session"
THREE_MONTHS = "three_months"
SIX_MONTHS = "six_months"
TWELVE_MONTHS = "twelve_months"
ALL_TIME = "all_time"
PERIODS = (END_OF_SESSION, THREE_MONTHS, SIX_MONTHS, TWELVE_MONTHS)
FOLLOW_UPS = (THREE_MONTHS, SIX_MONTHS, TWELVE_MONTHS)
PERIOD_LABELS = {
    END_OF_SESSION: _("End of session"),
    THREE_MONTHS: _("3 months"),
    SIX_MONTHS: _("6 months"),
    TWELVE_MONTHS: _("12 months"),
    ALL_TIME: _("All time"),
}
# Upper bounds, in days after the reporter's start, of each period but the last.
LIMITS = ((45, END_OF_SESSION), (135, THREE_MONTHS), (272, SIX_MONTHS))
TOP = 10

# A report's direction within its pair (low id, high id): bit 1 low → high, bit 2 high → low; 3 is both.
FORWARD, BACKWARD, BOTH = 1, 2, 3


@dataclass(frozen=True, slots=True)
class Node:
    """One alumnus in a scope."""

    id: int
    sector: str
    cohorts: frozenset[int]
    start: datetime.date


class Report(NamedTuple):
    """One Tie row: `reporter` said they worked with `other`."""

    reporter: int
    other: int
    reported_on: datetime.date
    kind: str
    source: str


@dataclass(frozen=True, slots=True)
class Figures:
    """The figures of one period (or of all time)."""

    period: str
    people: int
    ties: int
    confirmed: int
    one_sided: int
    density: float
    cross_sector: int
    cross_sector_share: float | None
    people_crossing: int
    people_crossing_share: float | None
    lasting: int | None = None
    lasting_share: float | None = None

    @property
    def label(self) -> str:
        return str(PERIOD_LABELS[self.period])


class TieSummary(NamedTuple):
    """One tie (an unordered pair, low id first) over all time."""

    low: int
    high: int
    confirmed: bool
    cross_sector: bool
    kinds: tuple[str, ...]
    sources: tuple[str, ...]
    periods: tuple[str, ...]
    first_reported: datetime.date
    lasting: bool

    def other(self, person: int) -> int:
        return self.high if person == self.low else self.low


@dataclass(frozen=True, slots=True)
class Bridge:
    """A person who bridges sectors or cohorts, and how far: distinct cross-sector contacts or other cohorts."""

    person: int
    reach: int


@dataclass
class Network:
    """Everything the pages and the export show about one scope."""

    nodes: Mapping[int, Node]
    figures: list[Figures]
    ties: list[TieSummary]
    sector_bridges: list[Bridge]
    cohort_bridges: list[Bridge]
    degree: dict[int, int] = field(default_factory=dict)
    cross_degree: dict[int, int] = field(default_factory=dict)

    @property
    def all_time(self) -> Figures:
        return self.figures[-1]

    @property
    def by_period(self) -> list[Figures]:
        return self.figures[:-1]


# What the reports of one pair add up to, while they are read: directions by period, kinds, sources, first date.
_DIRECTIONS, _KINDS, _SOURCES, _FIRST = range(4)


def period_of(*, days: int) -> str:
    """The period of a report made `days` after the reporter's start."""
    for limit, period in LIMITS:
        if days <= limit:
            return period
    return TWELVE_MONTHS


def nodes_from_registrations(*, rows: Iterable[tuple[int, int, str, datetime.date, datetime.date]]) -> dict[int, Node]:
    """Nodes from attended registrations (user, cohort, sector, session start, session end) of one scope."""
    latest: dict[int, tuple[datetime.date, datetime.date, int, str]] = {}
    cohorts: dict[int, set[int]] = {}
    start: dict[int, datetime.date] = {}
    for user, cohort, sector, session_start, session_end in rows:
        key = (session_start, session_end, cohort, sector)
        if user not in latest or key[:3] > latest[user][:3]:
            latest[user] = key
        cohorts.setdefault(user, set()).add(cohort)
        if user not in start or session_end < start[user]:
            start[user] = session_end
    return {
        user: Node(id=user, sector=latest[user][3], cohorts=frozenset(cohorts[user]), start=start[user])
        for user in latest
    }


def _pairs(*, nodes: Mapping[int, Node], reports: Iterable[Report]) -> dict[tuple[int, int], list]:
    starts = {node.id: node.start.toordinal() for node in nodes.values()}
    pairs: dict[tuple[int, int], list] = {}
    for reporter, other, reported_on, kind, source in reports:
        if reporter == other or reporter not in starts or other not in starts:
            continue
        days = reported_on.toordinal() - starts[reporter]
        # period_of(), inlined: this loop runs once per report.
        if days <= 45:
            period = END_OF_SESSION
        elif days <= 135:
            period = THREE_MONTHS
        elif days <= 272:
            period = SIX_MONTHS
        else:
            period = TWELVE_MONTHS
        if reporter < other:
            key, direction = (reporter, other), FORWARD
        else:
            key, direction = (other, reporter), BACKWARD
        pair = pairs.get(key)
        if pair is None:
            pairs[key] = [{period: direction}, {kind}, {source}, reported_on]
            continue
        directions = pair[_DIRECTIONS]
        directions[period] = directions.get(period, 0) | direction
        pair[_KINDS].add(kind)
        pair[_SOURCES].add(source)
        if reported_on < pair[_FIRST]:
            pair[_FIRST] = reported_on
    return pairs


def _figures(*, period: str, people: int, ties: int, confirmed: int, cross: int, crossing: int,
             lasting: int | None = None) -> Figures:  # fmt: skip
    possible = people * (people - 1) // 2
    return Figures(
        period=period, people=people, ties=ties, confirmed=confirmed, one_sided=ties - confirmed,
        density=ties / possible if people >= 2 else 0.0,
        cross_sector=cross, cross_sector_share=cross / ties if ties else None,
        people_crossing=crossing, people_crossing_share=crossing / people if people else None,
        lasting=lasting, lasting_share=(lasting / ties if ties else None) if lasting is not None else None,
    )  # fmt: skip


def _ranked(reach: Mapping[int, int]) -> list[Bridge]:
    ranked = sorted(reach.items(), key=lambda item: (-item[1], item[0]))
    return [Bridge(person=person, reach=count) for person, count in ranked[:TOP] if count]


def analyse_network(*, nodes: Mapping[int, Node], reports: Iterable[Report]) -> Network:
    """The figures of each period and of all time, every tie, and the bridges of a scope."""
    # Hundreds of thousands of small containers, none in a cycle: the cyclic collector would only rescan them
    # (it took half the time at 100,000 reports).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _analyse(nodes=nodes, reports=reports)
    finally:
        if collecting:
            gc.enable()


def _analyse(*, nodes: Mapping[int, Node], reports: Iterable[Report]) -> Network:
    pairs = _pairs(nodes=nodes, reports=reports)
    people = len(nodes)
    counts = {period: [0, 0, 0, set()] for period in PERIODS}  # ties, confirmed, cross, people crossing
    totals = [0, 0, 0, set()]
    lasting_count = 0
    ties: list[TieSummary] = []
    degree: dict[int, int] = {}
    cross_contacts: dict[int, int] = {}
    reached: dict[int, set[int]] = {}
    for (low, high), (periods, pair_kinds, pair_sources, first) in pairs.items():
        node_low, node_high = nodes[low], nodes[high]
        cross = node_low.sector != node_high.sector and node_low.sector in CROSSING and node_high.sector in CROSSING
        union = 0
        for period, directions in periods.items():
            union |= directions
            figures = counts[period]
            figures[0] += 1
            if directions == BOTH:
                figures[1] += 1
            if cross:
                figures[2] += 1
                figures[3].add(low)
                figures[3].add(high)
        confirmed = union == BOTH
        lasting = (THREE_MONTHS in periods) + (SIX_MONTHS in periods) + (TWELVE_MONTHS in periods) >= 2
        totals[0] += 1
        totals[1] += confirmed
        lasting_count += lasting
        degree[low] = degree.get(low, 0) + 1
        degree[high] = degree.get(high, 0) + 1
        if cross:
            totals[2] += 1
            totals[3].add(low)
            totals[3].add(high)
            cross_contacts[low] = cross_contacts.get(low, 0) + 1
            cross_contacts[high] = cross_contacts.get(high, 0) + 1
        if node_low.cohorts.isdisjoint(node_high.cohorts):
            reached.setdefault(low, set()).update(node_high.cohorts)
            reached.setdefault(high, set()).update(node_low.cohorts)
        ties.append(TieSummary(
            low, high, confirmed, cross, tuple(sorted(pair_kinds)), tuple(sorted(pair_sources)),
            tuple(p for p in PERIODS if p in periods), first, lasting,
        ))  # fmt: skip
    figures = [
        _figures(period=period, people=people, ties=ties_, confirmed=confirmed, cross=cross, crossing=len(crossing))
        for period, (ties_, confirmed, cross, crossing) in counts.items()
    ]
    figures.append(_figures(
        period=ALL_TIME, people=people, ties=totals[0], confirmed=totals[1], cross=totals[2],
        crossing=len(totals[3]), lasting=lasting_count,
    ))  # fmt: skip
    ties.sort(key=lambda tie: (tie.low, tie.high))
    return Network(
        nodes=nodes, figures=figures, ties=ties,
        sector_bridges=_ranked(cross_contacts),
        cohort_bridges=_ranked({person: len(cohorts) for person, cohorts in reached.items()}),
        degree=degree, cross_degree=cross_contacts,
    )  # fmt: skip
