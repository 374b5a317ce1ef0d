"""The network pages: who may see them, what each shows, a bounded number of queries, and an alumnus's page that
names only the people they are tied to and shows a sector only where it is shared."""

import io

import pytest
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from participants.models import ExportRecord
from tests.evaluations.test_network import world  # noqa: F401  (the hand-computed network, as a fixture)
from tests.factories import CohortFactory, UserFactory, alumnus

pytestmark = pytest.mark.django_db


def pages(world):  # noqa: F811
    cohort = world["cohorts"][0]
    programme = cohort.session.get_parent()
    return {
        "index": reverse("evaluations:network"),
        "cohort": reverse("evaluations:cohort_network", args=[cohort.pk]),
        "cohort_export": reverse("evaluations:cohort_network_export", args=[cohort.pk]),
        "programme": reverse("evaluations:programme_network", args=[programme.pk]),
        "programme_export": reverse("evaluations:programme_network_export", args=[programme.pk]),
        "country": reverse("evaluations:country_network", args=["TH"]),
        "country_export": reverse("evaluations:country_network_export", args=["TH"]),
    }


def test_organiser_pages_are_for_organisers_only(client, world):  # noqa: F811
    urls = pages(world)
    for url in urls.values():
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    client.force_login(world["users"][1])  # an alumnus
    for url in urls.values():
        assert client.get(url).status_code == 403, url
    client.force_login(UserFactory())
    assert client.get(urls["programme"]).status_code == 403


def test_the_programme_page_shows_figures_chart_map_table_bridges_and_export(client, world, organiser):  # noqa: F811
    client.force_login(organiser)
    response = client.get(pages(world)["programme"])
    html = response.content.decode()
    assert response.status_code == 200
    assert response["Cache-Control"].count("private") and "no-store" in response["Cache-Control"]
    figures = {row["label"]: row for row in response.context["figures"]}
    assert (figures["All time"]["ties"], figures["All time"]["confirmed"], figures["All time"]["lasting"]) == (5, 2, 1)
    assert figures["All time"]["cross_sector_share"] == "60.0 %"
    assert 'class="chart"' in html and 'class="network-map"' in html
    amal = world["users"][1].profile.organisation.name
    assert f"Amal Haddad — {amal} · Thailand – Government" in html  # the node's <title>: who, and which one
    assert "<details" in html and "Maria Santos" in html
    assert [person.name for person, _reach in response.context["sector_bridges"]][0] == "Maria Santos"
    assert [(person.name, reach) for person, reach in response.context["cohort_bridges"]][0] == ("Jose Reyes", 2)
    assert pages(world)["programme_export"] in html


def test_the_cohort_and_country_pages_and_the_index(client, world, organiser):  # noqa: F811
    client.force_login(organiser)
    urls = pages(world)
    cohort = client.get(urls["cohort"])
    assert cohort.status_code == 200 and cohort.context["single_cohort"]
    assert "Everyone here shares this cohort" in cohort.content.decode()
    country = client.get(urls["country"])
    assert country.status_code == 200 and "Thailand" in country.content.decode()
    assert client.get(reverse("evaluations:country_network", args=["XX"])).status_code == 404
    index = client.get(urls["index"]).content.decode()
    assert urls["programme"] in index and urls["country"] in index
    assert reverse("evaluations:country_network", args=["PH"]) in index


def test_a_network_without_ties_explains_where_ties_come_from(client, organiser):
    cohort = CohortFactory()
    alumnus(cohort, "government")
    client.force_login(organiser)
    html = client.get(reverse("evaluations:cohort_network", args=[cohort.pk])).content.decode()
    assert "No ties yet. Ties come from the follow-up questionnaires" in html


def test_the_pages_take_the_same_queries_for_a_bigger_network(client, world, organiser, django_assert_max_num_queries):  # noqa: F811
    from django.db import connection

    from evaluations.models import Tie

    client.force_login(organiser)
    urls = pages(world)
    counts = {}
    for name in ("cohort", "programme", "country", "index"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(urls[name]).status_code == 200
        counts[name] = len(queries.captured_queries)
    cohort_a, cohort_b, _cohort_c = world["cohorts"]
    extra = [alumnus(cohort, "civil_society", "TH") for cohort in (cohort_a, cohort_b) for _n in range(4)]
    for first, second in zip(extra, extra[1:], strict=False):
        Tie.objects.create(reporter=first, other=second, kind="referral", source="collaboration",
                           reported_on="2027-09-01")  # fmt: skip
    for name in ("cohort", "programme", "country", "index"):
        with django_assert_max_num_queries(counts[name]):
            assert client.get(urls[name]).status_code == 200
    assert max(counts.values()) <= 15


def test_the_export_is_an_excel_file_and_is_logged(client, world, organiser):  # noqa: F811
    client.force_login(organiser)
    response = client.get(pages(world)["country_export"])
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Figures", "Ties", "People"]
    assert len(list(workbook["People"].iter_rows())) == 1 + 4
    record = ExportRecord.objects.get()
    assert record.kind.startswith("network-") and (record.user, record.cohort) == (organiser, None)
    client.get(pages(world)["cohort_export"])
    assert ExportRecord.objects.filter(cohort=world["cohorts"][0]).count() == 1


def test_an_alumnus_sees_their_cohort_but_only_the_names_they_are_tied_to(client, world, django_assert_max_num_queries):  # noqa: F811
    users, names = world["users"], world["names"]
    client.force_login(users[1])  # Amal, cohort A: tied to Somchai (2) and Maria (4)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("evaluations:my_network"))
    html = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert names[2] in html and names[4] in html
    for stranger in (3, 5, 6):  # not tied to Amal (3 and 5 are not even in her cohort)
        assert names[stranger] not in html
    # Maria shares her sector; Somchai is listed but does not share it; Nadia ("other") shares nothing.
    assert f"{names[4]} – Civil society" in html
    assert f"{names[2]} – Sector not shared" in html and f"{names[2]} – Government" not in html
    assert "#6c3483" not in html and "Other sector" not in html  # Nadia's sector shows nowhere
    assert "Organisation" not in html and "Thailand" not in html  # nor anyone's organisation or country
    assert ">You<" in html
    cohort = response.context["cohorts"][0]
    figures = {row["label"]: row for row in cohort["figures"]}
    assert figures["All time"]["ties"] == 2  # the cohort's aggregates
    assert [row["person"].name for row in response.context["own_rows"]] == [names[4], names[2]]


def test_an_alumnus_who_attended_no_cohort_is_told_what_will_be_here(client, db):
    from django.contrib.auth.models import Group

    from participants.permissions import ALUMNI

    user = UserFactory()
    user.groups.add(Group.objects.get_or_create(name=ALUMNI)[0])
    client.force_login(user)
    html = client.get(reverse("evaluations:my_network")).content.decode()
    assert "You have not attended a session yet" in html


def test_the_pages_work_in_arabic(client, world, organiser):  # noqa: F811
    client.force_login(organiser)
    url = pages(world)["programme"].replace("/en/", "/ar/", 1)
    response = client.get(url)
    assert response.status_code == 200 and 'dir="rtl"' in response.content.decode()


def test_the_evaluation_pages_link_to_the_network(client, world, organiser):  # noqa: F811
    cohort = world["cohorts"][0]
    programme = cohort.session.get_parent()
    client.force_login(organiser)
    evaluation = client.get(reverse("evaluations:cohort", args=[cohort.pk])).content.decode()
    assert reverse("evaluations:cohort_network", args=[cohort.pk]) in evaluation
    trend = client.get(reverse("evaluations:programme", args=[programme.pk])).content.decode()
    assert reverse("evaluations:programme_network", args=[programme.pk]) in trend
