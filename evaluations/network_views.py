"""The alumni network in figures: ties, density, ties across sectors, bridges, over time; a map and a table.

Organisers see every scope with names; an alumnus sees the figures of their own cohorts and a map on which only
the people they are tied to are named, and a sector shows only where its person shares it in the directory.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import get_language, get_language_bidi, gettext_lazy
from django.utils.translation import gettext as _
from django_countries import countries

from courses import fragment_cache
from courses.l10n import format_list
from courses.models import ProgrammePage, Sector
from courses.responses import XLSX, download, keep_private
from participants import audit_details
from participants.models import Cohort
from participants.people import Person
from participants.services import record_view

from . import selectors
from .alumni_views import alumni_only
from .models import Tie, TieKind
from .network import ALL_TIME, PERIOD_LABELS, Network, analyse_network, nodes_from_registrations
from .network_map import HIDDEN, MAX_NODES, MapEdge, MapNode, category_labels, legend, network_map, time_chart
from .permissions import can_read_network

# Ties listed on the page (a programme has thousands: 500 rows weighed 240 KB, too much for a phone); the Excel
# export has them all.
TABLE_LIMIT = 200
EMPTY = gettext_lazy(
    "No ties yet. Ties come from the follow-up questionnaires' 'with whom' questions and from collaborations "
    "alumni record."
)


def network_readers_only(view: Callable) -> Callable:
    """Organisers; anyone else signed in is refused, anyone signed out is asked to sign in."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_read_network(request.user):
            raise PermissionDenied
        return keep_private(view(request, *args, **kwargs))

    return wrapper


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{number_format(value * 100, decimal_pos=1)} %"


def figure_rows(*, network: Network) -> list[dict]:
    """The figures of each period and of all time, formatted for a table."""
    return [
        {
            "label": figures.label,
            "all_time": figures.period == ALL_TIME,
            "people": figures.people,
            "ties": figures.ties,
            "confirmed": figures.confirmed,
            "one_sided": figures.one_sided,
            "density": _percent(figures.density),
            "cross_sector": figures.cross_sector,
            "cross_sector_share": _percent(figures.cross_sector_share),
            "people_crossing": figures.people_crossing,
            "people_crossing_share": _percent(figures.people_crossing_share),
            "lasting": "–" if figures.lasting is None else figures.lasting,
            "lasting_share": _percent(figures.lasting_share),
        }
        for figures in network.figures
    ]


def figures_chart(*, network: Network):
    """Ties and the cross-sector share for each period, as an SVG chart."""
    rows = [(figures.label, figures.ties, figures.cross_sector_share) for figures in network.by_period]
    return time_chart(rows, title=_("Ties and cross-sector share over time"), rtl=get_language_bidi())


def _kinds(kinds: tuple[str, ...]) -> str:
    labels = dict(TieKind.choices)
    return format_list(labels.get(kind, kind) for kind in kinds)


def _periods(periods: tuple[str, ...]) -> str:
    return format_list(PERIOD_LABELS[period] for period in periods)


def _map_description(*, people: int, ties: int) -> str:
    return _(
        "%(people)s people and %(ties)s ties. Government on the left arc, civil society on the right, other sectors "
        "at the bottom: ties across sectors cross the middle. Confirmed ties are solid lines, one-sided ties dashed. "
        "The table of ties gives the same information."
    ) % {"people": people, "ties": ties}


def _bridges(bridges, name: Callable[[int], Person]) -> list[tuple[Person, int]]:
    """The people who bridge, by reach, those of the same reach by what is printed."""
    people = [(name(bridge.person), bridge.reach) for bridge in bridges]
    return sorted(people, key=lambda item: (-item[1], item[0].sort_key))


def _organiser_context(*, scope: selectors.NetworkScope, network: Network, single_cohort: bool) -> dict:
    sectors = dict(Sector.choices)
    names = scope.names

    def name(pk: int) -> Person:
        return names.get(pk) or Person(pk=pk, name=_("(no name)"))

    people = len(network.nodes)
    nodes = [
        MapNode(key=node.id, category=node.sector, group=(min(node.cohorts),),
                title=f"{name(node.id).label} – {sectors.get(node.sector, node.sector)}")
        for node in network.nodes.values()
    ]  # fmt: skip
    drawn = network_map(
        nodes=nodes, edges=[MapEdge(a=tie.low, b=tie.high, confirmed=tie.confirmed) for tie in network.ties],
        title=_("Map of the network"), description=_map_description(people=people, ties=len(network.ties)),
    )  # fmt: skip
    ordered = sorted(network.ties, key=lambda tie: sorted((name(tie.low).sort_key, name(tie.high).sort_key)))
    rows = []
    for tie in ordered[:TABLE_LIMIT]:
        first, second = sorted((tie.low, tie.high), key=lambda person: name(person).sort_key)
        rows.append({
            "first": name(first), "first_sector": sectors.get(network.nodes[first].sector, ""),
            "second": name(second), "second_sector": sectors.get(network.nodes[second].sector, ""),
            "confirmed": tie.confirmed, "cross_sector": tie.cross_sector,
            "kinds": _kinds(tie.kinds), "periods": _periods(tie.periods),
        })  # fmt: skip
    present = [category for category in ("government", "civil_society", "other")
               if any(node.sector == category for node in network.nodes.values())]  # fmt: skip
    return {
        "figures": figure_rows(network=network),
        "chart": figures_chart(network=network) if network.ties else None,
        "map": drawn,
        "map_too_big": people > MAX_NODES,
        "max_nodes": MAX_NODES,
        "legend": legend(categories=present),
        "tie_rows": rows,
        "ties_total": len(network.ties),
        "ties_cut": len(network.ties) > TABLE_LIMIT,
        "table_limit": TABLE_LIMIT,
        "sector_bridges": _bridges(network.sector_bridges, name),
        "cohort_bridges": _bridges(network.cohort_bridges, name),
        "single_cohort": single_cohort,
        "people": people,
        "empty_message": EMPTY,
    }


def _render_scope(
    request: HttpRequest, *, scope: Callable[[], selectors.NetworkScope], name: str, single_cohort: bool, title: str,
    crumbs: list[tuple[str, str]], export_url: str, links: list[tuple[str, str]], cohort_id: int | None = None,
) -> HttpResponse:  # fmt: skip
    """A network's page; its figures, map and ties are read (`scope()`) and computed only when the shared cache
    has none since the last change to ties, registrations, people, organisations or pages."""

    which = {"country": name.removeprefix("country:")} if name.startswith("country:") else {"title": title}
    record_view(actor=request.user, details=audit_details.viewed("network", **which), key=f"network:{name}",
                cohort_id=cohort_id)  # fmt: skip

    def context() -> dict:
        network_scope = scope()
        network = analyse_network(nodes=network_scope.nodes, reports=network_scope.reports)
        return {
            "title": title, "crumbs": crumbs, "export_url": export_url, "links": links,
            **_organiser_context(scope=network_scope, network=network, single_cohort=single_cohort),
        }  # fmt: skip

    body = fragment_cache.render(request, "evaluations/network/scope_body.html", context,
                                 topics=["network", "organisations", "pages"], vary=[name])  # fmt: skip
    return render(request, "evaluations/network/scope.html", {"title": title, "body": body})


def _index_crumb() -> tuple[str, str]:
    return reverse("evaluations:network"), _("Alumni network")


def _country(code: str) -> tuple[str, str]:
    code = code.upper()
    if code not in countries:
        raise Http404
    return code, str(countries.name(code))


def _export(request: HttpRequest, *, scope: selectors.NetworkScope, title: str, filename: str,
            cohort_id: int | None = None) -> HttpResponse:  # fmt: skip
    from .exports import export_network

    network = analyse_network(nodes=scope.nodes, reports=scope.reports)
    buffer = io.BytesIO()
    # The log says which network: the file's name holds the programme or the nationality.
    export_network(scope=scope, network=network, title=title, destination=buffer, user=request.user,
                   cohort_id=cohort_id, language=get_language(), kind=filename.removesuffix(".xlsx"))  # fmt: skip
    return download(buffer.getvalue(), filename=filename, content_type=XLSX, private=True)


@alumni_only
def my_network(request: HttpRequest) -> HttpResponse:
    """The figures of the viewer's own cohorts and a map that names only the people they are tied to."""
    me = request.user.pk
    scope = selectors.get_my_network_scope(user=request.user)
    mine = sorted(
        {(start, cohort) for user, cohort, _sector, start, _end in scope.registrations if user == me},
    )
    # What the viewer may know of their own ties: what they reported, and the collaborations others recorded with
    # them. Questionnaire answers naming them were given to the organisers, not to them.
    visible = [r for r in scope.reports if r.reporter == me or (r.other == me and r.source == Tie.Source.COLLABORATION)]
    overall = analyse_network(nodes=scope.nodes, reports=visible)
    my_ties = [tie for tie in overall.ties if me in (tie.low, tie.high)]
    tied = {tie.other(me) for tie in my_ties}
    # Everyone on these maps attended a cohort with the viewer.
    people = selectors.list_people(user_ids=tied, viewer=request.user, met=tied) if tied else {}
    sectors, labels = dict(Sector.choices), category_labels()
    cohorts = []
    for index, (_start, cohort) in enumerate(mine):
        nodes = nodes_from_registrations(rows=(row for row in scope.registrations if row[1] == cohort))
        network = analyse_network(nodes=nodes, reports=scope.reports)
        map_nodes = []
        for node in nodes.values():
            shown = node.id == me or node.id in scope.sharing_sector
            category = node.sector if shown else HIDDEN
            if node.id == me:
                title = _("You") + f" – {sectors.get(node.sector, node.sector)}"
            elif node.id in tied:
                title = f"{people[node.id].label if node.id in people else ''} – {labels[category]}"
            else:
                title = labels[category]
            map_nodes.append(MapNode(key=node.id, category=category, title=title, is_self=node.id == me))
        shown_categories = {map_node.category for map_node in map_nodes}
        present = [c for c in ("government", "civil_society", "other", HIDDEN) if c in shown_categories]
        description = _(
            "%(people)s people of your cohort and your %(ties)s ties with them. People who share their sector in the "
            "directory stand on its arc (government left, civil society right, other sectors at the bottom); the "
            "others at the top. Only the people you are tied to are named, and only your own ties are drawn. "
            "Confirmed ties are solid lines, one-sided ties dashed."
        ) % {"people": len(nodes), "ties": sum(1 for tie in my_ties if tie.other(me) in nodes)}
        cohorts.append({
            "title": scope.cohort_titles.get(cohort, ""),
            "figures": figure_rows(network=network),
            "chart": figures_chart(network=network) if network.ties else None,
            "has_ties": bool(network.ties),
            "map": network_map(
                # Only the viewer's own ties: drawn among everyone, other people's ties would say who is who.
                nodes=map_nodes, edges=[MapEdge(a=t.low, b=t.high, confirmed=t.confirmed) for t in my_ties],
                title=_("Map of your cohort's network"), description=description, id_prefix=f"network-map-{index}",
            ),
            "legend": legend(categories=present, you=True),
        })  # fmt: skip
    own_rows = sorted(
        ({"person": people.get(tie.other(me)) or Person(pk=tie.other(me), name=""), "confirmed": tie.confirmed,
          "kinds": _kinds(tie.kinds), "periods": _periods(tie.periods)} for tie in my_ties),
        key=lambda row: row["person"].sort_key,
    )  # fmt: skip
    context = {"cohorts": cohorts, "own_rows": own_rows, "empty_message": EMPTY}
    return render(request, "evaluations/network/mine.html", context)


@network_readers_only
def network_index(request: HttpRequest) -> HttpResponse:
    """The programmes and nationalities with alumni, each linking to its network."""
    return render(request, "evaluations/network/index.html", selectors.list_network_index())


@network_readers_only
def cohort_network(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = get_object_or_404(Cohort.objects.select_related("session"), pk=pk)
    programme = cohort.session.get_parent()
    title = cohort.session.title
    return _render_scope(
        request, scope=lambda: selectors.get_cohort_network_scope(cohort_id=cohort.pk), single_cohort=True,
        title=title, name=f"cohort:{cohort.pk}", cohort_id=cohort.pk,
        crumbs=[_index_crumb(), (reverse("evaluations:programme_network", args=[programme.pk]), programme.title)],
        export_url=reverse("evaluations:cohort_network_export", args=[cohort.pk]),
        links=[(reverse("evaluations:cohort", args=[cohort.pk]), _("Evaluation of this cohort"))],
    )  # fmt: skip


@network_readers_only
def cohort_network_export(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = get_object_or_404(Cohort.objects.select_related("session"), pk=pk)
    return _export(
        request, scope=selectors.get_cohort_network_scope(cohort_id=cohort.pk), title=cohort.session.title,
        filename=f"{cohort.session.slug}-network.xlsx", cohort_id=cohort.pk,
    )  # fmt: skip


@network_readers_only
def programme_network(request: HttpRequest, pk: int) -> HttpResponse:
    # A page's row is wide: its id and title on every visit, the whole page only when the figures are computed.
    programme = get_object_or_404(ProgrammePage.objects.only("id", "title"), pk=pk)
    return _render_scope(
        request, scope=lambda: selectors.get_programme_network_scope(programme=ProgrammePage.objects.get(pk=pk)),
        single_cohort=False,
        name=f"programme:{programme.pk}",
        title=programme.title, crumbs=[_index_crumb()],
        export_url=reverse("evaluations:programme_network_export", args=[programme.pk]),
        links=[(reverse("evaluations:programme", args=[programme.pk]), _("Evaluation across cohorts"))],
    )  # fmt: skip


@network_readers_only
def programme_network_export(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_object_or_404(ProgrammePage, pk=pk)
    return _export(request, scope=selectors.get_programme_network_scope(programme=programme),
                   title=programme.title, filename=f"{programme.slug}-network.xlsx")  # fmt: skip


@network_readers_only
def country_network(request: HttpRequest, country: str) -> HttpResponse:
    code, name = _country(country)
    return _render_scope(
        request, scope=lambda: selectors.get_country_network_scope(country=code), single_cohort=False,
        name=f"country:{code}",
        title=_("Alumni of %(country)s, all cohorts") % {"country": name}, crumbs=[_index_crumb()],
        export_url=reverse("evaluations:country_network_export", args=[code]), links=[],
    )  # fmt: skip


@network_readers_only
def country_network_export(request: HttpRequest, country: str) -> HttpResponse:
    code, name = _country(country)
    return _export(request, scope=selectors.get_country_network_scope(country=code),
                   title=_("Alumni of %(country)s, all cohorts") % {"country": name},
                   filename=f"network-{code.lower()}.xlsx")  # fmt: skip
