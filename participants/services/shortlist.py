"""The shortlist assistant: proposes a cohort from scored candidates, keeping the cohort's balance rules.

A pure function (no database): the caller loads the candidates and the cohort, `propose_shortlist()` returns who
is proposed, the reserve of each sector in score order, and for every candidate a reason as data (a code and its
params) that `describe_reason()` puts into words in the reader's language.

The choice is a 0–1 integer programme solved by HiGHS, one objective after another (lexicographic):

Never broken: the capacity, each sector's ceiling (the same arithmetic as registrations, `Cohort.ceiling`), the
country cap (counted as registrations count it: people without a country are not counted), the organisers'
"leave out", and no score (not reviewed) or a score under the minimum.

Then, most important first; when they cannot all be met, the last ones give way first:
1. the people the organisers chose ("forced in"), as many as the limits allow;
2. each sector's floor (capacity × (target − tolerance), rounded up, never above its ceiling): the fewest seats
   missing, added up over the sectors;
3. the seats filled: a seat is never left empty to meet the gender target;
4. the gender target (at least N % women among those selected): the fewest women missing;
5. the total score (scores compared to four decimals);
6. ties go to the better-ranked candidate (higher score, then lower id), so the same input gives the same output.
"""

from __future__ import annotations

import decimal
import math
import time
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from courses.models import Sector

from ..models import Cohort, Gender

__all__ = [
    "PRIORITIES",
    "Candidate",
    "Reason",
    "Shortlist",
    "ShortlistRules",
    "describe_reason",
    "propose_shortlist",
    "rules_for_cohort",
    "sector_floor",
]

# The soft goals, most important first (see the module's docstring): the last give way first.
PRIORITIES = ("forced_in", "floors", "seats", "women", "score", "order")
SCORE_SCALE = 10_000  # the solver works in integers: scores are compared to four decimals
TIME_LIMIT = 20.0  # seconds for the whole search; a proposal cut short still keeps every limit, and says so


@dataclass(frozen=True)
class Candidate:
    """One applicant as the assistant sees them. `score` is None until they are reviewed."""

    id: int
    score: float | None
    sector: str
    country: str = ""
    gender: str = ""
    forced_in: bool = False
    forced_out: bool = False


@dataclass(frozen=True)
class ShortlistRules:
    """The limits of one proposal. A sector missing from `ceilings` is limited by the capacity alone; one missing
    from `floors` has none. `min_women_percent` None: no gender target; `min_score` None: no minimum score."""

    capacity: int
    ceilings: Mapping[str, int] = field(default_factory=dict)
    floors: Mapping[str, int] = field(default_factory=dict)
    max_per_country: int | None = None
    min_women_percent: int | None = None
    min_score: float | None = None
    # Seats of each country already held in the cohort (people confirmed before the proposal): the cap counts them.
    country_taken: Mapping[str, int] = field(default_factory=dict)

    def ceiling(self, sector: str) -> int:
        return min(self.capacity, self.ceilings.get(sector, self.capacity))

    def floor(self, sector: str) -> int:
        return min(self.floors.get(sector, 0), self.ceiling(sector))

    def country_cap(self, country: str) -> int | None:
        """The most people of `country` a proposal may add (None: no cap)."""
        if self.max_per_country is None:
            return None
        return max(0, self.max_per_country - self.country_taken.get(country, 0))

    def women_needed(self, selected: int) -> int:
        """The fewest women among `selected` people that meet the gender target."""
        if self.min_women_percent is None:
            return 0
        return -(-self.min_women_percent * selected // 100)


@dataclass(frozen=True)
class Reason:
    """Why something is as it is, as data: a code and its params (numbers, sector and country codes, ids)."""

    code: str
    params: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"code": self.code, **self.params}


@dataclass(frozen=True)
class Shortlist:
    """A proposal: who is selected and the reserve of each sector (best first), a reason for every candidate,
    the goals that could not be met (`unmet`, most important first), and the balance it reaches."""

    selected: tuple[int, ...]
    reserve: dict[str, tuple[int, ...]]
    reasons: dict[int, Reason]
    unmet: tuple[Reason, ...]
    balance: dict
    optimal: bool = True


def sector_floor(cohort: Cohort, sector: str) -> int:
    """The fewest seats a proposal aims to give a sector: capacity × (target − tolerance), rounded up (the mirror of
    `Cohort.ceiling`, which rounds down), never above the sector's ceiling."""
    percent = cohort.target_percent(sector) - cohort.tolerance
    if percent <= 0:
        return 0
    return min(cohort.ceiling(sector), -(-cohort.capacity * percent // 100))


def rules_for_cohort(
    cohort: Cohort, *, min_women_percent: int | None = None, min_score: float | None = None
) -> ShortlistRules:
    """The limits a cohort's settings give a proposal (reads the cohort's fields only, no query)."""
    return ShortlistRules(
        capacity=cohort.capacity,
        ceilings={sector: cohort.ceiling(sector) for sector in Sector.values},
        floors={sector: sector_floor(cohort, sector) for sector in Sector.values},
        max_per_country=cohort.max_per_country,
        min_women_percent=min_women_percent,
        min_score=min_score,
    )


# --- Choosing ---


def _points(score: float) -> int:
    return round(score * SCORE_SCALE)


def _is_woman(candidate: Candidate) -> bool:
    return candidate.gender == Gender.WOMAN


def _check(candidates: list[Candidate], rules: ShortlistRules) -> None:
    if rules.capacity < 0 or (rules.max_per_country is not None and rules.max_per_country < 0):
        raise ValueError("capacity and country cap cannot be negative")
    if rules.min_women_percent is not None and not 0 <= rules.min_women_percent <= 100:
        raise ValueError("the gender target is a percentage")
    ids = Counter(candidate.id for candidate in candidates)
    twice = [candidate_id for candidate_id, count in ids.items() if count > 1]
    if twice:
        raise ValueError(f"candidates given twice: {sorted(twice)}")
    both = [candidate.id for candidate in candidates if candidate.forced_in and candidate.forced_out]
    if both:
        raise ValueError(f"candidates both forced in and out: {sorted(both)}")


class _Tally:
    """The counts a selection is judged by; changed one person at a time to test a swap."""

    def __init__(self, rules: ShortlistRules, chosen: Iterable[Candidate], rank: Mapping[int, int], size: int):
        self.rules, self.rank, self.size = rules, rank, size
        self.n = self.women = self.forced = self.points = self.order = 0
        self.sectors: Counter = Counter()
        self.countries: Counter = Counter()
        for candidate in chosen:
            self.add(candidate)

    def add(self, candidate: Candidate, sign: int = 1) -> None:
        self.n += sign
        self.women += sign * _is_woman(candidate)
        self.forced += sign * candidate.forced_in
        self.points += sign * _points(candidate.score)
        self.order += sign * (self.size - self.rank[candidate.id])
        self.sectors[candidate.sector] += sign
        if candidate.country:
            self.countries[candidate.country] += sign

    def remove(self, candidate: Candidate) -> None:
        self.add(candidate, -1)

    def floor_shortfall(self, sectors: Iterable[str]) -> int:
        return sum(max(0, self.rules.floor(sector) - self.sectors[sector]) for sector in sectors)

    def women_shortfall(self) -> int:
        return max(0, self.rules.women_needed(self.n) - self.women)

    def levels(self, sectors: Iterable[str]) -> tuple[int, ...]:
        """The selection's value on each of PRIORITIES, higher is better."""
        return (self.forced, -self.floor_shortfall(sectors), self.n, -self.women_shortfall(), self.points, self.order)

    def limits_reached(self, candidate: Candidate, *, leaving: Candidate | None = None) -> list[dict]:
        """The hard limits that adding `candidate` (while `leaving` gives up a seat) would break."""
        rules, reached = self.rules, []
        if self.n - (leaving is not None) >= rules.capacity:
            reached.append({"limit": "capacity", "taken": self.n, "max": rules.capacity})
        frees = leaving is not None and leaving.sector == candidate.sector
        if self.sectors[candidate.sector] - frees >= rules.ceiling(candidate.sector):
            reached.append({"limit": "sector", "sector": candidate.sector, "taken": self.sectors[candidate.sector],
                            "max": rules.ceiling(candidate.sector)})  # fmt: skip
        if rules.max_per_country is not None and candidate.country:
            frees = leaving is not None and leaving.country == candidate.country
            if self.countries[candidate.country] - frees >= rules.country_cap(candidate.country):
                reached.append({"limit": "country", "country": candidate.country,
                                "taken": self.countries[candidate.country],
                                "max": rules.country_cap(candidate.country)})  # fmt: skip
        return reached


def _solve(eligible: list[Candidate], rules: ShortlistRules, sectors: list[str]) -> tuple[set[int], bool]:
    """The best selection of `eligible` (already in rank order) by PRIORITIES, and whether it is proven best."""
    if not eligible or rules.capacity == 0:
        return set(), True
    import highspy  # here, not at import time: HiGHS prints its banner once per process when first used
    import numpy as np

    highs = highspy.Highs()
    started = time.monotonic()
    for option, value in (("output_flag", False), ("threads", 1), ("random_seed", 0), ("mip_rel_gap", 0.0),
                          ("mip_abs_gap", 0.5)):  # fmt: skip
        highs.setOptionValue(option, value)
    # People the limits cannot tell apart (same sector; same country if there is a cap; woman or not if there is a
    # target; chosen by the organisers or not) form a class. At most `room` of a class fit, and a better-ranked one
    # can always take a worse-ranked one's seat, which only raises the score or the order. So only each class's best
    # `room` can be in the best selection: the others are not given to the solver.
    capped, balanced = rules.max_per_country is not None, rules.min_women_percent is not None
    seen: Counter = Counter()
    kept = []
    for position, candidate in enumerate(eligible):
        key = (candidate.sector, capped and candidate.country, balanced and _is_woman(candidate), candidate.forced_in)
        room = rules.ceiling(candidate.sector)
        if capped and candidate.country:
            room = min(room, rules.country_cap(candidate.country))
        if seen[key] < room:
            seen[key] += 1
            kept.append((position, candidate))
    size = len(kept)
    floored = [sector for sector in sectors if rules.floor(sector) > 0]
    # Columns: one 0/1 per candidate, then a seats-missing count per floored sector, then the women missing.
    shortfall_col = {sector: size + index for index, sector in enumerate(floored)}
    women_col = size + len(floored) if rules.min_women_percent is not None else None
    upper = [1.0] * size + [float(rules.floor(sector)) for sector in floored]
    if women_col is not None:
        upper.append(float(rules.capacity))
    columns = len(upper)
    highs.addVars(columns, np.zeros(columns), np.array(upper))
    highs.changeColsIntegrality(
        columns, np.arange(columns, dtype=np.int32), np.full(columns, highspy.HighsVarType.kInteger, dtype=np.uint8)
    )

    def row(lower: float, upper: float, entries: Mapping[int, float]) -> None:
        if entries:
            index = np.fromiter(entries.keys(), dtype=np.int32)
            highs.addRow(lower, upper, len(index), index, np.fromiter(entries.values(), dtype=np.float64))

    everyone = range(size)
    row(-math.inf, rules.capacity, dict.fromkeys(everyone, 1.0))
    by_sector: dict[str, list[int]] = {}
    by_country: dict[str, list[int]] = {}
    for index, (_position, candidate) in enumerate(kept):
        by_sector.setdefault(candidate.sector, []).append(index)
        if candidate.country:
            by_country.setdefault(candidate.country, []).append(index)
    for sector, members in sorted(by_sector.items()):
        if len(members) > rules.ceiling(sector):
            row(-math.inf, rules.ceiling(sector), dict.fromkeys(members, 1.0))
    if rules.max_per_country is not None:
        for country, members in sorted(by_country.items()):
            if len(members) > rules.country_cap(country):
                row(-math.inf, rules.country_cap(country), dict.fromkeys(members, 1.0))
    for sector in floored:
        row(
            rules.floor(sector), math.inf, {**dict.fromkeys(by_sector.get(sector, []), 1.0), shortfall_col[sector]: 1.0}
        )
    if women_col is not None:
        # 100 × (women + women missing) ≥ target × selected
        target = rules.min_women_percent
        entries = {index: (100.0 - target if _is_woman(c) else -float(target)) for index, (_p, c) in enumerate(kept)}
        row(0.0, math.inf, {**entries, women_col: 100.0})

    objectives = {
        "forced_in": {index: 1.0 for index, (_p, c) in enumerate(kept) if c.forced_in},
        "floors": {column: -1.0 for column in shortfall_col.values()},
        "seats": dict.fromkeys(everyone, 1.0),
        "women": {women_col: -1.0} if women_col is not None else {},
        "score": {index: float(_points(c.score)) for index, (_p, c) in enumerate(kept)},
        "order": {index: float(len(eligible) - position) for index, (position, _c) in enumerate(kept)},
    }
    highs.changeObjectiveSense(highspy.ObjSense.kMaximize)
    all_columns = np.arange(columns, dtype=np.int32)
    # No start solution is handed to HiGHS: given one (setSolution), 1.16 was seen to report a goal's best value
    # while returning the start's columns (the gender target met by its objective, missed by its selection). So
    # each answer is also checked against its own objective value.
    values = np.zeros(columns)  # choosing no one keeps every hard limit
    optimal = True
    for priority in PRIORITIES:
        costs = objectives[priority]
        if not costs:
            continue
        vector = np.zeros(columns)
        for column, cost in costs.items():
            vector[column] = cost
        highs.changeColsCost(columns, all_columns, vector)
        highs.setOptionValue("time_limit", max(0.1, TIME_LIMIT - (time.monotonic() - started)))
        highs.run()
        info = highs.getInfo()
        if info.primal_solution_status != int(highspy.SolutionStatus.kSolutionStatusFeasible):
            optimal = False
            break
        found = np.round(np.array(highs.getSolution().col_value))
        best = float(vector @ found)
        if abs(best - info.objective_function_value) > 0.5:  # an answer that contradicts itself: keep the last one
            optimal = False
            break
        values = found
        if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            optimal = False
            break
        # Keep this goal at its best while the next ones are pursued (every goal counts in whole units).
        row(best - 0.5, math.inf, costs)
    return {kept[index][1].id for index in everyone if values[index] > 0.5}, optimal


def propose_shortlist(*, candidates: Iterable[Candidate], rules: ShortlistRules) -> Shortlist:
    """Propose a cohort from `candidates` within `rules`. Raises ValueError on inconsistent input (an id given
    twice, someone both forced in and out); never for goals that cannot be met, which are reported in `unmet`."""
    candidates = list(candidates)
    _check(candidates, rules)
    sectors = sorted(set(Sector.values) | {c.sector for c in candidates} | set(rules.ceilings) | set(rules.floors))
    reasons: dict[int, Reason] = {}
    eligible = []
    for candidate in candidates:
        if candidate.score is None:
            reasons[candidate.id] = Reason("not_reviewed")
        elif candidate.forced_out:
            reasons[candidate.id] = Reason("forced_out", {"score": candidate.score})
        elif rules.min_score is not None and _points(candidate.score) < _points(rules.min_score):
            reasons[candidate.id] = Reason("below_min_score", {"score": candidate.score, "min_score": rules.min_score})
        else:
            eligible.append(candidate)
    eligible.sort(key=lambda c: (-_points(c.score), c.id))
    rank = {candidate.id: position for position, candidate in enumerate(eligible)}
    chosen_ids, optimal = _solve(eligible, rules, sectors)
    chosen = [c for c in eligible if c.id in chosen_ids]
    others = [c for c in eligible if c.id not in chosen_ids]
    tally = _Tally(rules, chosen, rank, len(eligible))
    if (
        tally.n > rules.capacity
        or any(tally.sectors[s] > rules.ceiling(s) for s in sectors)
        or (rules.max_per_country is not None and any(n > rules.country_cap(c) for c, n in tally.countries.items()))
    ):
        raise RuntimeError("the solver's answer breaks a hard limit")  # never seen; never to be shown as a proposal
    for candidate in chosen:
        reasons[candidate.id] = _why_in(candidate, others, tally, sectors, rank)
    groups = _groups(chosen)
    for candidate in others:
        reasons[candidate.id] = _why_out(candidate, groups, tally, sectors, rank)
    reserve = {sector: tuple(c.id for c in others if c.sector == sector) for sector in sectors}
    return Shortlist(
        selected=tuple(c.id for c in chosen),
        reserve=reserve,
        reasons={c.id: reasons[c.id] for c in candidates},
        unmet=tuple(_unmet(candidates, eligible, tally, reasons, sectors, optimal)),
        balance=_balance(tally, sectors),
        optimal=optimal,
    )


# --- Saying why ---


def _first_loss(before: tuple[int, ...], after: tuple[int, ...]) -> str | None:
    """The most important goal a change makes worse, if it makes the whole worse."""
    for priority, old, new in zip(PRIORITIES, before, after, strict=True):
        if new != old:
            return priority if new < old else None
    return None


def _swap_levels(tally: _Tally, leaving: Candidate, coming: Candidate, sectors) -> tuple[int, ...]:
    tally.remove(leaving)
    tally.add(coming)
    levels = tally.levels(sectors)
    tally.remove(coming)
    tally.add(leaving)
    return levels


def _why_in(candidate: Candidate, others: list[Candidate], tally: _Tally, sectors, rank) -> Reason:
    score = candidate.score
    if candidate.forced_in:
        return Reason("selected_forced", {"score": score})
    # Someone better ranked could have taken this seat without breaking a limit: the seat is held for a goal.
    before = tally.levels(sectors)
    for other in others:
        if rank[other.id] > rank[candidate.id]:
            break
        if tally.limits_reached(other, leaving=candidate):
            continue
        loss = _first_loss(before, _swap_levels(tally, candidate, other, sectors))
        if loss == "floors":
            sector = candidate.sector
            params = {"sector": sector, "taken": tally.sectors[sector], "floor": tally.rules.floor(sector)}
            return Reason("selected_for_floor", {"score": score, **params, "instead_of": other.id})
        if loss == "women":
            params = {"women": tally.women, "selected": tally.n, "percent": tally.rules.min_women_percent}
            return Reason("selected_for_women", {"score": score, **params, "instead_of": other.id})
    return Reason("selected", {"score": score, "rank": rank[candidate.id] + 1})


def _group(limits: list[dict]) -> tuple[bool, bool]:
    """Who could make way for someone stopped by `limits`: anyone, or only those of the same sector, country, both."""
    kinds = {limit["limit"] for limit in limits}
    return "sector" in kinds, "country" in kinds


def _why_out(candidate: Candidate, groups: Mapping, tally: _Tally, sectors, rank) -> Reason:
    score = candidate.score
    limits = tally.limits_reached(candidate)
    params = {"score": score, "limits": limits}
    if candidate.forced_in:
        return Reason("forced_in_not_possible", params)
    if not limits:  # only when the solver was cut short: the seat was free
        return Reason("not_selected", params)
    same_sector, same_country = _group(limits)
    key = (candidate.sector if same_sector else None, candidate.country if same_country else None)
    could_make_way, organisers_choices = groups.get(key, ([], False))
    if not could_make_way:
        if organisers_choices:
            return Reason("out_balance", params | {"kept_for": ["forced_in"]})
        return Reason("out_limits", params)
    # Those the organisers chose are not compared: the comparison is with the assistant's own choices.
    lowest = could_make_way[-1]
    compared_with = {(True, True): "sector_country", (True, False): "sector", (False, True): "country"}.get(
        (same_sector, same_country), "all"
    )
    params |= {"sector": candidate.sector, "country": candidate.country, "compared_with": compared_with,
               "last_score": lowest.score, "last_id": lowest.id}  # fmt: skip
    if rank[candidate.id] > rank[lowest.id]:
        return Reason("out_score", params | {"tie": _points(score) == _points(lowest.score)})
    # They outrank someone whose seat they could take: that person holds it for a more important goal.
    before = tally.levels(sectors)
    kept_for = {
        _first_loss(before, _swap_levels(tally, other, candidate, sectors))
        for other in could_make_way
        if rank[other.id] > rank[candidate.id]
    }
    return Reason("out_balance", params | {"kept_for": [priority for priority in PRIORITIES if priority in kept_for]})


def _groups(chosen: list[Candidate]) -> dict:
    """For each (sector or None, country or None): the selected people not chosen by the organisers, best first,
    and whether some chosen by the organisers are there too."""
    groups: dict = {}
    for candidate in chosen:
        for key in ((None, None), (candidate.sector, None), (None, candidate.country),
                    (candidate.sector, candidate.country)):  # fmt: skip
            members, _forced = groups.setdefault(key, ([], False))
            if candidate.forced_in:
                groups[key] = (members, True)
            else:
                members.append(candidate)
    return groups


def _unmet(candidates, eligible, tally: _Tally, reasons, sectors, optimal) -> list[Reason]:
    rules, unmet = tally.rules, []
    for candidate in candidates:
        if candidate.forced_in and reasons[candidate.id].code != "selected_forced":
            reason = reasons[candidate.id]
            why = reason.code if reason.code in ("not_reviewed", "below_min_score") else "limits"
            params = {"id": candidate.id, "why": why, "limits": reason.params.get("limits", [])}
            unmet.append(Reason("forced_in_not_possible", params))
    for sector in sectors:
        if tally.sectors[sector] < rules.floor(sector):
            available = sum(c.sector == sector for c in eligible)
            unmet.append(Reason("floor_not_met", {
                "sector": sector, "selected": tally.sectors[sector], "floor": rules.floor(sector),
                "eligible": available, "cause": "too_few_candidates" if available < rules.floor(sector) else "limits",
            }))  # fmt: skip
    if tally.n < rules.capacity:
        unmet.append(Reason("seats_empty", {
            "selected": tally.n, "capacity": rules.capacity, "eligible": len(eligible),
            "cause": "too_few_candidates" if len(eligible) < rules.capacity else "limits",
        }))  # fmt: skip
    if tally.women_shortfall():
        available = sum(_is_woman(c) for c in eligible)
        needed = rules.women_needed(tally.n)
        unmet.append(Reason("women_not_met", {
            "women": tally.women, "selected": tally.n, "percent": rules.min_women_percent, "needed": needed,
            "eligible": available, "cause": "too_few_candidates" if available < needed else "limits",
        }))  # fmt: skip
    if not optimal:
        unmet.append(Reason("not_proven_best"))
    return unmet


def _balance(tally: _Tally, sectors) -> dict:
    rules = tally.rules
    return {
        "selected": tally.n,
        "capacity": rules.capacity,
        "sectors": {
            sector: {"selected": tally.sectors[sector], "floor": rules.floor(sector), "ceiling": rules.ceiling(sector)}
            for sector in sectors
        },  # fmt: skip
        "countries": {country: count for country, count in sorted(tally.countries.items()) if count},
        "max_per_country": rules.max_per_country,
        "women": tally.women,
        "women_needed": rules.women_needed(tally.n),
        "min_women_percent": rules.min_women_percent,
    }


# --- Putting it into words ---


def _score(value, other=None) -> str:
    # Two decimals, unless that would show two different scores as the same number.
    places = 4 if other is not None and round(value, 2) == round(other, 2) and value != other else 2
    # Rounded half up, as the pages' |floatformat does (number_format alone cuts the digits off: 4.4167 → 4.41).
    rounded = decimal.Decimal(str(value)).quantize(decimal.Decimal(1).scaleb(-places), decimal.ROUND_HALF_UP)
    return number_format(rounded, decimal_pos=places)


def _sector(code: str) -> str:
    return str(dict(Sector.choices).get(code, code))


def _country(code: str) -> str:
    from django_countries import countries

    return str(countries.name(code)) or code


def _limit(limit: dict) -> str:
    values = {"taken": limit.get("taken"), "max": limit.get("max")}
    if limit.get("limit") == "sector":
        return _("%(sector)s has reached its ceiling (%(taken)s of %(max)s)") % {
            **values, "sector": _sector(limit.get("sector", ""))}  # fmt: skip
    if limit.get("limit") == "country":
        return _("%(country)s has reached the country cap (%(taken)s of %(max)s)") % {
            **values, "country": _country(limit.get("country", ""))}  # fmt: skip
    return ngettext(
        "the cohort is full (%(taken)s of %(max)s seat)", "the cohort is full (%(taken)s of %(max)s seats)",
        limit.get("max") or 0,
    ) % values  # fmt: skip


def _list(parts: Iterable[str]) -> str:
    return pgettext("list separator", "; ").join(parts)


def _limits(limits: list[dict]) -> str:
    return _list(_limit(limit) for limit in limits)


def _last(details: dict) -> str:
    compared_with = details.get("compared_with")
    names = {"sector": _sector(details.get("sector", "")), "country": _country(details.get("country", ""))}
    if compared_with == "sector_country":
        return _("the last candidate selected from %(country)s in %(sector)s") % names
    if compared_with == "sector":
        return _("the last candidate selected in %(sector)s") % names
    if compared_with == "country":
        return _("the last candidate selected from %(country)s") % names
    return _("the last candidate selected")


def _kept_for(priority: str) -> str:
    return {
        "forced_in": _("the organisers' choices"),
        "floors": _("the sector floors"),
        "women": _("the gender target"),
    }.get(priority, priority)


def _scores(details: dict) -> dict:
    score, last = details.get("score"), details.get("last_score", details.get("min_score"))
    values = {"score": _score(score, last) if score is not None else ""}
    if last is not None:
        values |= {"last_score": _score(last, score), "min_score": _score(last, score)}
    return values


def _selected_for_floor(d: dict) -> str:
    text = _("Selected to reach the floor for %(sector)s (%(taken)s of at least %(floor)s), ahead of higher scores.")
    return text % {"sector": _sector(d["sector"]), "taken": d["taken"], "floor": d["floor"]}


def _selected_for_women(d: dict) -> str:
    text = _(
        "Selected for the gender target (%(women)s women of %(selected)s, at least %(percent)s %%), ahead of higher "
        "scores."
    )
    return text % {"women": d["women"], "selected": d["selected"], "percent": d["percent"]}


def _out_score(d: dict) -> str:
    if d.get("tie"):
        text = _(
            "Not selected: %(limits)s, and their score %(score)s equals that of %(last)s; ties go to the earlier "
            "application."
        )
    else:
        text = _("Not selected: %(limits)s, and their score %(score)s is below that of %(last)s (%(last_score)s).")
    return text % {"limits": _limits(d["limits"]), "last": _last(d), **_scores(d)}


def _out_balance(d: dict) -> str:
    values = {"limits": _limits(d["limits"]), "kept_for": _list(_kept_for(priority) for priority in d["kept_for"])}
    if "last_score" not in d:
        return _("Not selected: %(limits)s, and the seats they could take are held for %(kept_for)s.") % values
    text = _(
        "Not selected: %(limits)s. Their score %(score)s is above that of %(last)s (%(last_score)s), but that seat is "
        "held for %(kept_for)s."
    )
    return text % {**values, "last": _last(d), **_scores(d)}


def _forced_in_not_possible(d: dict) -> str:
    if "id" not in d:  # a candidate's own reason
        return _("Chosen by the organisers but not selected: %(limits)s.") % {"limits": _limits(d["limits"])}
    why = {"not_reviewed": _("not reviewed yet"), "below_min_score": _("score below the minimum")}.get(d.get("why"))
    text = _("Application %(id)s was chosen by the organisers but cannot be selected: %(why)s.")
    return text % {"id": d["id"], "why": why or _limits(d.get("limits", []))}


def _floor_not_met(d: dict) -> str:
    if d.get("cause") == "too_few_candidates":
        text = _(
            "%(sector)s: %(selected)s selected, below the floor of %(floor)s: not enough eligible candidates "
            "(%(eligible)s)."
        )
    else:
        text = _(
            "%(sector)s: %(selected)s selected, below the floor of %(floor)s: the country cap or the organisers' "
            "choices leave no more room."
        )
    return text % {"sector": _sector(d["sector"]), "selected": d["selected"], "floor": d["floor"],
                   "eligible": d["eligible"]}  # fmt: skip


def _seats_empty(d: dict) -> str:
    empty = d["capacity"] - d["selected"]
    if d.get("cause") == "too_few_candidates":
        text = ngettext(
            "%(empty)s seat left empty: not enough eligible candidates (%(eligible)s).",
            "%(empty)s seats left empty: not enough eligible candidates (%(eligible)s).",
            empty,
        )
    else:
        text = ngettext(
            "%(empty)s seat left empty: the sector ceilings and the country cap leave no room for more.",
            "%(empty)s seats left empty: the sector ceilings and the country cap leave no room for more.",
            empty,
        )
    return text % {"empty": empty, "eligible": d["eligible"]}


def _women_not_met(d: dict) -> str:
    if d.get("cause") == "too_few_candidates":
        text = _(
            "Gender target not met: %(women)s women among %(selected)s selected, %(needed)s needed for %(percent)s "
            "%%: not enough eligible women (%(eligible)s)."
        )
    else:
        text = _(
            "Gender target not met: %(women)s women among %(selected)s selected, %(needed)s needed for %(percent)s "
            "%%: the sector limits and the country cap leave no room for more."
        )
    return text % {key: d[key] for key in ("women", "selected", "percent", "needed", "eligible")}


DESCRIBE = {
    # Why a candidate is in
    "selected": lambda d: _("Selected: score %(score)s, ranked %(rank)s.") % {**_scores(d), "rank": d["rank"]},
    "selected_forced": lambda d: _("Selected by the organisers (score %(score)s).") % _scores(d),
    "selected_for_floor": _selected_for_floor,
    "selected_for_women": _selected_for_women,
    # Why a candidate is out
    "not_reviewed": lambda d: _("Not selected: not reviewed yet."),
    "forced_out": lambda d: _("Not selected: left out by the organisers."),
    "below_min_score": lambda d: _("Not selected: score %(score)s is below the minimum of %(min_score)s.")
    % _scores(d),
    "out_score": _out_score,
    "out_balance": _out_balance,
    "out_limits": lambda d: _("Not selected: %(limits)s, and no one selected could give up their seat for them.")
    % {"limits": _limits(d["limits"])},
    "forced_in_not_possible": _forced_in_not_possible,
    "not_selected": lambda d: _("Not selected (score %(score)s).") % _scores(d),
    # Goals not met
    "floor_not_met": _floor_not_met,
    "seats_empty": _seats_empty,
    "women_not_met": _women_not_met,
    "not_proven_best": lambda d: _(
        "The search stopped before proving this is the best cohort; it keeps every limit all the same."
    ),
}  # fmt: skip


def describe_reason(reason: Reason | Mapping) -> str:
    """A reason (a candidate's, or a goal not met) as one sentence in the active language."""
    details = reason.as_dict() if isinstance(reason, Reason) else dict(reason)
    render = DESCRIBE.get(details.get("code", ""))
    return render(details) if render else details.get("code", "")
