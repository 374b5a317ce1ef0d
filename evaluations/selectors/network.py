"""Reads for the network view: the people of a scope and the ties between them.

Each scope is read with the same few queries whatever its size (its registrations, its ties, its names): the
figures are computed in Python by `evaluations.network`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django_countries import countries

from courses.models import ProgrammePage, SessionPage
from participants.models import Registration, RegistrationStatus
from participants.people import Person, load_people

from ..models import DirectoryListing, Tie
from ..network import Node, Report, nodes_from_registrations

__all__ = [
    "NetworkScope",
    "get_cohort_network_scope",
    "get_country_network_scope",
    "get_my_network_scope",
    "get_programme_network_scope",
    "list_network_index",
]


@dataclass
class NetworkScope:
    """The nodes and reports of one scope, with what the pages print beside them."""

    nodes: dict[int, Node]
    reports: list[Report]
    # (user, cohort, sector, session start, session end) of every attended registration in scope.
    registrations: list[tuple[int, int, str, datetime.date, datetime.date]]
    cohort_titles: dict[int, str]
    countries: dict[int, str] = field(default_factory=dict)
    names: dict[int, Person] = field(default_factory=dict)  # as the organisers' pages and exports print them
    sharing_sector: set[int] = field(default_factory=set)


def _attended() -> QuerySet[Registration]:
    return Registration.objects.filter(status=RegistrationStatus.ATTENDED)


def _load(registrations: QuerySet[Registration], *, names: bool = True) -> NetworkScope:
    rows = list(registrations.values_list(
        "user_id", "cohort_id", "sector", "cohort__session__start_date", "cohort__session__end_date", "country",
        "cohort__session__title",
    ))  # fmt: skip
    people = registrations.values("user_id")
    nodes = nodes_from_registrations(rows=(row[:5] for row in rows))
    # One semi-join on the reporter (its index leads), the other end checked here: a second IN (subquery) lets a
    # planner with stale statistics pick a nested loop over every pair of people.
    reports = [
        report
        for report in map(Report._make, Tie.objects.filter(reporter_id__in=people).values_list(
            "reporter_id", "other_id", "reported_on", "kind", "source"
        ))
        if report.other in nodes
    ]  # fmt: skip
    latest: dict[int, tuple] = {}
    for user, cohort, _sector, start, end, country, _title in rows:
        if user not in latest or (start, end, cohort) > latest[user][0]:
            latest[user] = ((start, end, cohort), country)
    scope = NetworkScope(
        nodes=nodes,
        reports=reports,
        registrations=[row[:5] for row in rows],
        cohort_titles={row[1]: row[6] for row in rows},
        countries={user: str(country or "") for user, (_key, country) in latest.items()},
    )
    if names:
        scope.names = load_people(people)
    return scope


def get_cohort_network_scope(*, cohort_id: int) -> NetworkScope:
    """The alumni of one cohort and the ties between them."""
    return _load(_attended().filter(cohort_id=cohort_id))


def get_programme_network_scope(*, programme: ProgrammePage) -> NetworkScope:
    """The alumni of every cohort of a programme and the ties between them."""
    return _load(_attended().filter(cohort__session__in=SessionPage.objects.child_of(programme)))


def get_country_network_scope(*, country: str) -> NetworkScope:
    """The regional network: the alumni of that nationality, from every cohort, and the ties between them."""
    return _load(_attended().filter(country=country))


def get_my_network_scope(*, user) -> NetworkScope:
    """The alumni of the cohorts `user` attended, without names; `sharing_sector` holds the people who are
    listed in the directory and share their sector there."""
    cohorts = _attended().filter(user=user).values("cohort_id")
    registrations = _attended().filter(cohort_id__in=cohorts)
    scope = _load(registrations, names=False)
    scope.sharing_sector = set(
        DirectoryListing.objects.filter(
            user_id__in=registrations.values("user_id"), share_sector=True, user__profile__listed_in_directory=True
        ).values_list("user_id", flat=True)
    )
    return scope


def list_network_index() -> dict[str, list]:
    """The programmes and the nationalities that have alumni, each with its number of alumni."""
    by_programme: dict[str, set[int]] = {}
    by_country: dict[str, set[int]] = {}
    for user, path, country in _attended().values_list("user_id", "cohort__session__path", "country"):
        by_programme.setdefault(path[: -SessionPage.steplen], set()).add(user)
        if country:
            by_country.setdefault(str(country), set()).add(user)
    programmes = [
        (programme, len(by_programme[programme.path]))
        for programme in ProgrammePage.objects.filter(path__in=list(by_programme)).order_by("title")
    ]
    country_rows = sorted(
        ((code, str(countries.name(code)) or code, len(users)) for code, users in by_country.items()),
        key=lambda row: row[1],
    )
    return {"programmes": programmes, "countries": country_rows}
