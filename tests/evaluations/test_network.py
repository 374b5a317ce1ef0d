"""The network's figures on a small network computed by hand, the scopes read from the database, the Excel export
read back, and the map and chart drawings.

The hand-computed network (ids 1–6; cohorts A, B, C; each end of session is the person's start):

    person  sector          cohorts   nationality
    1       government      A         TH
    2       government      A         TH
    3       government      B         TH
    4       civil society   A         PH
    5       civil society   B         PH
    6       other           A, C      TH      (attended C later as civil society: latest sector in a programme)

    report  reporter → other   days after the reporter's start   period
    r1      1 → 4              10                                end of session
    r2      4 → 1              20                                end of session   (1–4 confirmed, cross-sector)
    r3      1 → 2              100                               3 months
    r4      2 → 1              200                               6 months         (1–2 lasts: 3 and 6 months)
    r5      3 → 4              300                               12 months        (cross-sector, across cohorts)
    r6      5 → 6              50                                3 months         (across cohorts, not cross)
    r7      2 → 5              0                                 end of session   (cross-sector, across cohorts)

Programme scope (A, B, C): n = 6, 15 possible pairs. Ties {1,4} {1,2} {3,4} {5,6} {2,5}.
    end of session: {1,4} confirmed, {2,5} one-sided → 2 ties, 1 confirmed, density 2/15, 2 cross (share 1.0),
                    people crossing {1,2,4,5} = 4/6
    3 months:       {1,2}, {5,6}, one-sided → 2 ties, density 2/15, 0 cross (share 0.0), 0 people crossing
    6 months:       {1,2} one-sided (only 2 → 1 in this window) → 1 tie, density 1/15, 0 cross
    12 months:      {3,4} → 1 tie, density 1/15, 1 cross (share 1.0), people crossing {3,4} = 2/6
    all time:       5 ties, confirmed {1,4} {1,2} = 2, one-sided 3, density 5/15, cross {1,4} {3,4} {2,5} = 3
                    (share 3/5), people crossing {1,2,3,4,5} = 5/6, lasting {1,2} = 1 (share 1/5)
    sector bridges: 4 (contacts 1 and 3) = 2, then 1, 2, 3, 5 with 1 each
    cohort bridges: 5 reaches A and C through 6 (and A through 2) = 2; then 2, 3, 4, 6 with 1 each
Cohort A scope: nodes 1, 2, 4, 6; reports r1–r4 → ties {1,4} {1,2}, density 2/6, 1 cross, no cohort bridges.
Country TH scope: nodes 1, 2, 3, 6; reports r3, r4 → tie {1,2}: confirmed, lasting, not cross, density 1/6.
"""

import datetime
import io

import pytest
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from evaluations.exports import export_network
from evaluations.models import Tie
from evaluations.network import (
    ALL_TIME,
    END_OF_SESSION,
    SIX_MONTHS,
    THREE_MONTHS,
    TWELVE_MONTHS,
    Bridge,
    Node,
    Report,
    analyse_network,
    nodes_from_registrations,
    period_of,
)
from evaluations.network_map import MAX_NODES, MapEdge, MapNode, layout, network_map, time_chart
from evaluations.selectors import (
    get_cohort_network_scope,
    get_country_network_scope,
    get_programme_network_scope,
    list_network_index,
)
from participants.models import ExportRecord, Registration, RegistrationStatus
from tests.factories import CohortFactory, alumnus, make_session

A_END = datetime.date(2027, 1, 8)
B_END = datetime.date(2027, 3, 5)
C_END = datetime.date(2027, 6, 11)
SECTORS = {1: "government", 2: "government", 3: "government", 4: "civil_society", 5: "civil_society", 6: "other"}
# (reporter, other, days after the reporter's start)
REPORTS = [(1, 4, 10), (4, 1, 20), (1, 2, 100), (2, 1, 200), (3, 4, 300), (5, 6, 50), (2, 5, 0)]


def hand_nodes() -> dict[int, Node]:
    cohorts = {1: "A", 2: "A", 3: "B", 4: "A", 5: "B", 6: "AC"}
    ids = {"A": 10, "B": 20, "C": 30}
    start = {"A": A_END, "B": B_END}
    return {
        person: Node(id=person, sector=sector, cohorts=frozenset(ids[c] for c in cohorts[person]),
                     start=start[cohorts[person][0]])
        for person, sector in SECTORS.items()
    }  # fmt: skip


def hand_reports(nodes) -> list[Report]:
    return [
        Report(reporter, other, nodes[reporter].start + datetime.timedelta(days=days), "information", "survey")
        for reporter, other, days in REPORTS
    ]


def by_period(network):
    return {figures.period: figures for figures in network.figures}


# The figures, computed by hand (see the module's docstring)


@pytest.mark.parametrize(
    "days, period",
    [(-3, END_OF_SESSION), (0, END_OF_SESSION), (45, END_OF_SESSION), (46, THREE_MONTHS), (135, THREE_MONTHS),
     (136, SIX_MONTHS), (272, SIX_MONTHS), (273, TWELVE_MONTHS), (900, TWELVE_MONTHS)],
)  # fmt: skip
def test_a_report_falls_in_the_period_of_its_days_after_the_reporters_start(days, period):
    assert period_of(days=days) == period


@pytest.mark.parametrize("days", [-3, 0, 45, 46, 135, 136, 272, 273])
def test_the_analysis_puts_a_report_in_the_same_period(days):
    nodes = hand_nodes()
    report = Report(1, 4, A_END + datetime.timedelta(days=days), "referral", "collaboration")
    (tie,) = analyse_network(nodes=nodes, reports=[report]).ties
    assert tie.periods == (period_of(days=days),) and not tie.confirmed


def test_each_period_counts_its_ties_confirmed_pairs_density_and_crossings():
    nodes = hand_nodes()
    figures = by_period(analyse_network(nodes=nodes, reports=hand_reports(nodes)))
    end, three, six, twelve = (figures[p] for p in (END_OF_SESSION, THREE_MONTHS, SIX_MONTHS, TWELVE_MONTHS))
    assert (end.people, end.ties, end.confirmed, end.one_sided) == (6, 2, 1, 1)
    assert end.density == pytest.approx(2 / 15)
    assert (end.cross_sector, end.cross_sector_share) == (2, 1.0)
    assert (end.people_crossing, end.people_crossing_share) == (4, pytest.approx(4 / 6))
    assert (three.ties, three.confirmed, three.one_sided, three.cross_sector, three.cross_sector_share) == (
        2, 0, 2, 0, 0.0,
    )  # fmt: skip
    assert (three.people_crossing, three.people_crossing_share) == (0, 0.0)
    assert three.density == pytest.approx(2 / 15)
    # 1 → 2 came at 3 months and 2 → 1 at 6: within each window the pair is one-sided.
    assert (six.ties, six.confirmed, six.one_sided, six.cross_sector) == (1, 0, 1, 0)
    assert six.density == pytest.approx(1 / 15)
    assert (twelve.ties, twelve.cross_sector, twelve.cross_sector_share, twelve.people_crossing) == (1, 1, 1.0, 2)
    assert twelve.people_crossing_share == pytest.approx(2 / 6)
    assert end.lasting is None and end.lasting_share is None


def test_all_time_is_the_union_of_the_periods_with_the_ties_that_last():
    nodes = hand_nodes()
    network = analyse_network(nodes=nodes, reports=hand_reports(nodes))
    total = network.all_time
    assert total.period == ALL_TIME
    assert (total.people, total.ties, total.confirmed, total.one_sided) == (6, 5, 2, 3)
    assert total.density == pytest.approx(5 / 15)
    assert (total.cross_sector, total.cross_sector_share) == (3, pytest.approx(3 / 5))
    assert (total.people_crossing, total.people_crossing_share) == (5, pytest.approx(5 / 6))
    assert (total.lasting, total.lasting_share) == (1, pytest.approx(1 / 5))
    ties = {(tie.low, tie.high): tie for tie in network.ties}
    assert set(ties) == {(1, 4), (1, 2), (3, 4), (5, 6), (2, 5)}
    assert ties[(1, 2)].confirmed and ties[(1, 2)].lasting and ties[(1, 2)].periods == (THREE_MONTHS, SIX_MONTHS)
    assert ties[(1, 4)].confirmed and ties[(1, 4)].cross_sector and not ties[(1, 4)].lasting
    assert not ties[(5, 6)].cross_sector  # "other" never crosses
    assert ties[(1, 4)].first_reported == A_END + datetime.timedelta(days=10)
    assert network.degree == {1: 2, 2: 2, 3: 1, 4: 2, 5: 2, 6: 1}
    assert network.cross_degree == {1: 1, 2: 1, 3: 1, 4: 2, 5: 1}


def test_bridges_are_ranked_by_cross_sector_contacts_and_by_other_cohorts_reached():
    nodes = hand_nodes()
    network = analyse_network(nodes=nodes, reports=hand_reports(nodes))
    assert network.sector_bridges == [Bridge(4, 2), Bridge(1, 1), Bridge(2, 1), Bridge(3, 1), Bridge(5, 1)]
    assert network.cohort_bridges == [Bridge(5, 2), Bridge(2, 1), Bridge(3, 1), Bridge(4, 1), Bridge(6, 1)]


def test_no_ties_gives_zeros_and_no_shares():
    network = analyse_network(nodes={1: Node(1, "government", frozenset({1}), A_END)}, reports=[])
    total = network.all_time
    assert (total.ties, total.density, total.cross_sector_share, total.lasting, total.lasting_share) == (
        0, 0.0, None, 0, None,
    )  # fmt: skip
    assert total.people_crossing_share == 0.0
    assert analyse_network(nodes={}, reports=[]).all_time.people_crossing_share is None


def test_reports_outside_the_scope_are_ignored():
    nodes = hand_nodes()
    reports = [*hand_reports(nodes), Report(1, 99, A_END, "referral", "collaboration")]
    assert analyse_network(nodes=nodes, reports=reports).all_time.ties == 5


def test_a_node_takes_the_sector_of_its_latest_session_and_the_clock_of_its_first():
    rows = [(6, 10, "other", datetime.date(2027, 1, 4), A_END), (6, 30, "civil_society", C_END, C_END)]
    node = nodes_from_registrations(rows=rows)[6]
    assert (node.sector, node.cohorts, node.start) == ("civil_society", frozenset({10, 30}), A_END)


# The same network read from the database


@pytest.fixture
def world(db):
    """The hand-computed network, with its cohorts, registrations and Tie rows."""
    cohort_a = CohortFactory(session=make_session("net-a", start_date=datetime.date(2027, 1, 4), end_date=A_END))
    cohort_b = CohortFactory(session=make_session("net-b", start_date=datetime.date(2027, 3, 1), end_date=B_END))
    cohort_c = CohortFactory(session=make_session("net-c", start_date=datetime.date(2027, 6, 7), end_date=C_END))
    home = {1: cohort_a, 2: cohort_a, 3: cohort_b, 4: cohort_a, 5: cohort_b, 6: cohort_a}
    country = {1: "TH", 2: "TH", 3: "TH", 4: "PH", 5: "PH", 6: "TH"}
    names = {1: "Amal Haddad", 2: "Somchai Boonmee", 3: "=Formula Person", 4: "Maria Santos", 5: "Jose Reyes",
             6: "Nadia Karim"}  # fmt: skip
    share = {4: ("sector",)}
    users = {n: alumnus(home[n], SECTORS[n], country[n], full_name=names[n], share=share.get(n, ())) for n in SECTORS}
    Registration.objects.create(user=users[6], cohort=cohort_c, status=RegistrationStatus.ATTENDED,
                                sector="civil_society", country="TH")  # fmt: skip
    start = {n: home[n].session.end_date for n in SECTORS}
    for reporter, other, days in REPORTS:
        same = home[reporter] if home[reporter] == home[other] else None
        Tie.objects.create(reporter=users[reporter], other=users[other], kind="information", cohort=same,
                           source="survey", reported_on=start[reporter] + datetime.timedelta(days=days))  # fmt: skip
    return {"users": users, "cohorts": (cohort_a, cohort_b, cohort_c), "names": names}


def test_the_programme_scope_reads_the_hand_computed_network(world, django_assert_max_num_queries):
    programme = world["cohorts"][0].session.get_parent()
    with django_assert_max_num_queries(3):
        scope = get_programme_network_scope(programme=programme)
    users = world["users"]
    node_6 = scope.nodes[users[6].pk]
    assert node_6.sector == "civil_society" and node_6.start == A_END and len(node_6.cohorts) == 2
    assert scope.names[users[1].pk].name == "Amal Haddad"
    network = analyse_network(nodes=scope.nodes, reports=scope.reports)
    total = network.all_time
    assert (total.people, total.ties, total.confirmed, total.cross_sector, total.lasting) == (6, 5, 2, 3, 1)
    assert by_period(network)[TWELVE_MONTHS].ties == 1
    assert network.cohort_bridges[0] == Bridge(users[5].pk, 2)
    assert network.sector_bridges[0] == Bridge(users[4].pk, 2)


def test_a_cohort_scope_has_no_cohort_bridges(world):
    users = world["users"]
    scope = get_cohort_network_scope(cohort_id=world["cohorts"][0].pk)
    assert set(scope.nodes) == {users[n].pk for n in (1, 2, 4, 6)}
    assert scope.nodes[users[6].pk].sector == "other"
    network = analyse_network(nodes=scope.nodes, reports=scope.reports)
    total = network.all_time
    assert (total.people, total.ties, total.confirmed, total.cross_sector) == (4, 2, 2, 1)
    assert total.density == pytest.approx(2 / 6)
    assert network.cohort_bridges == []


def test_the_country_scope_is_the_regional_network_across_cohorts(world):
    users = world["users"]
    scope = get_country_network_scope(country="TH")
    assert set(scope.nodes) == {users[n].pk for n in (1, 2, 3, 6)}
    total = analyse_network(nodes=scope.nodes, reports=scope.reports).all_time
    assert (total.ties, total.confirmed, total.cross_sector, total.lasting) == (1, 1, 0, 1)
    assert total.density == pytest.approx(1 / 6)


def test_only_attended_registrations_make_nodes(world):
    cohort_a = world["cohorts"][0]
    Registration.objects.filter(cohort=cohort_a, user=world["users"][2]).update(status=RegistrationStatus.NO_SHOW)
    scope = get_cohort_network_scope(cohort_id=cohort_a.pk)
    assert world["users"][2].pk not in scope.nodes
    assert analyse_network(nodes=scope.nodes, reports=scope.reports).all_time.ties == 1


def test_the_index_counts_alumni_by_programme_and_nationality(world):
    index = list_network_index()
    assert [(programme.slug, count) for programme, count in index["programmes"]] == [("test-programme", 6)]
    assert [(code, count) for code, _name, count in index["countries"]] == [("PH", 2), ("TH", 4)]


def test_the_export_has_figures_ties_and_people_and_is_logged(world):
    programme = world["cohorts"][0].session.get_parent()
    scope = get_programme_network_scope(programme=programme)
    network = analyse_network(nodes=scope.nodes, reports=scope.reports)
    buffer = io.BytesIO()
    rows = export_network(scope=scope, network=network, title="Test programme", destination=buffer)
    assert rows == 5 + 6
    workbook = load_workbook(io.BytesIO(buffer.getvalue()))
    assert workbook.sheetnames == ["Figures", "Ties", "People"]
    figures = list(workbook["Figures"].iter_rows(values_only=True))
    assert figures[0][0] == "Test programme"
    assert [row[0] for row in figures[2:]] == ["End of session", "3 months", "6 months", "12 months", "All time"]
    assert figures[-1][:8] == ("All time", 6, 5, 2, 3, round(5 / 15, 4), 3, 0.6)
    assert figures[-1][10:] == (1, 0.2)
    ties = list(workbook["Ties"].iter_rows(values_only=True))
    assert len(ties) == 1 + 5
    # Each person of a tie is told apart from others of the same name (organisation, country).
    organisation = {n: user.profile.organisation.name for n, user in world["users"].items()}
    pairs = {frozenset(cell.split(" — ")[0] for cell in row[0:3:2]): row for row in ties[1:]}
    amal_maria = pairs[frozenset({"Amal Haddad", "Maria Santos"})]
    assert amal_maria[0:3:2] == (f"Amal Haddad — {organisation[1]} · Thailand",
                                 f"Maria Santos — {organisation[4]} · Philippines")  # fmt: skip
    assert amal_maria[4:6] == ("Confirmed", "yes")
    assert pairs[frozenset({"Amal Haddad", "Somchai Boonmee"})][7:9] == ("3 months, 6 months", "yes")
    people = {row[0]: row for row in list(workbook["People"].iter_rows(values_only=True))[1:]}
    assert "'=Formula Person" in people  # a name is never run as a formula
    assert people["Maria Santos"][1:] == (None, organisation[4], "Civil society", "Session net-a", "Philippines", 2, 2)
    assert people["Nadia Karim"][3:6] == ("Civil society", "Session net-a; Session net-c", "Thailand")
    record = ExportRecord.objects.get()
    assert (record.kind, record.rows) == ("network", 11)


# Drawings


def test_the_map_groups_sectors_on_opposite_arcs_and_says_what_it_shows():
    nodes = [
        MapNode(key=1, category="government", title="Amal"),
        MapNode(key=2, category="civil_society", title="Maria"),
        MapNode(key=3, category="other", title="<Nadia>"),
    ]
    positions = layout(nodes)
    assert positions[1][0] < 320 < positions[2][0]  # government left, civil society right
    assert positions[3][1] > 320  # other at the bottom
    svg = network_map(nodes=nodes, edges=[MapEdge(1, 2, True), MapEdge(2, 3, False)], title="Map", description="Two")
    assert 'role="img"' in svg and 'aria-labelledby="network-map-title network-map-desc"' in svg
    assert svg.count("<title>") == 3 and "&lt;Nadia&gt;" in svg
    assert "<circle" in svg and "<rect" in svg and "<polygon" in svg  # shapes differ, not only colours
    assert svg.count("stroke-dasharray") == 1  # the one-sided tie


def test_the_map_is_not_drawn_above_its_limit():
    nodes = [MapNode(key=n, category="government", title=str(n)) for n in range(MAX_NODES + 1)]
    assert network_map(nodes=nodes, edges=[], title="Map", description="Too many") is None


def test_the_chart_over_time_runs_leftwards_in_arabic():
    rows = [("End", 2, 1.0), ("3 months", 5, 0.0)]
    ltr, rtl = time_chart(rows, title="Ties"), time_chart(rows, title="Ties", rtl=True)
    assert ltr.index(">End<") < ltr.index(">3 months<")
    assert 'direction="rtl"' in rtl and "100 %" in rtl and "0 %" in rtl


def test_queries_do_not_grow_with_the_network(world):
    programme = world["cohorts"][0].session.get_parent()
    from django.db import connection

    with CaptureQueriesContext(connection) as before:
        get_programme_network_scope(programme=programme)
    for n in range(5):
        alumnus(world["cohorts"][1], "civil_society", "PH", full_name=f"Extra {n}")
    with CaptureQueriesContext(connection) as after:
        scope = get_programme_network_scope(programme=programme)
    assert len(scope.nodes) == 11 and len(before.captured_queries) == len(after.captured_queries) == 3
