"""One way to show a person everywhere: four Marias of one cohort are told apart (full name, organisation,
country) on its pages, in its pickers, the audit trail, the network, the badges, the sign-in sheets and the
exports, and every list runs in the order of what it prints."""

import datetime
import io
import re
import unicodedata

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from courses.models import OrganisationKind
from evaluations import selectors as alumni_selectors
from evaluations import services as evaluation_services
from evaluations.models import Tie
from evaluations.tokens import make_token
from participants.models import AuditEntry, Registration, RegistrationStatus
from participants.pack import build_badges, build_sign_in_sheets
from participants.people import Person, load_people, person_of
from participants.services.packs import pack_data
from tests.factories import CohortFactory, OrganisationFactory, UserFactory, alumnus, make_session

pytestmark = pytest.mark.django_db

# (preferred name, full name, organisation, kind, nationality), created in an order that is not the printed one.
PEOPLE = {
    "santos_ministry": ("Maria", "Maria Santos", "Ministry of Labour", OrganisationKind.MINISTRY, "ID"),
    "reyes": ("Maria", "Maria Reyes", "Department of Migrant Workers", OrganisationKind.MINISTRY, "PH"),
    "santos_forum": ("Maria", "Maria Santos", "Migrant Forum in Asia", OrganisationKind.NGO, "PH"),
    "cruz": ("Maria", "María Cruz", "Kafa", OrganisationKind.NGO, "LB"),
    "jose": ("Jose", "José Rizal Mercado", "Kanlungan Centre", OrganisationKind.NGO, "PH"),
    "amal": ("", "Amal Haddad", "Tamkeen", OrganisationKind.NGO, "JO"),
}
# What is printed, in the order it must come: the name, then the full name, the organisation, the country.
PRINTED = ["amal", "jose", "cruz", "reyes", "santos_forum", "santos_ministry"]
SECTOR = {OrganisationKind.MINISTRY: "government", OrganisationKind.NGO: "civil_society"}


@pytest.fixture
def cohort():
    start = timezone.localdate() - datetime.timedelta(days=20)
    session = make_session("marias", start_date=start, end_date=start + datetime.timedelta(days=4))
    return CohortFactory(session=session, certificate_days=1)


def add_alumnus(cohort, key: str, **fields):
    preferred, full, organisation, kind, country = PEOPLE[key]
    return alumnus(cohort, SECTOR[kind], country, preferred_name=preferred, full_name=full,
                   organisation=OrganisationFactory(name=organisation, kind=kind), **fields)  # fmt: skip


@pytest.fixture
def people(cohort):
    return {key: add_alumnus(cohort, key) for key in PEOPLE}


def plain(text: str) -> str:
    """Text as read, without the invisible bidi isolates around each part."""
    return text.replace("\u2068", "").replace("\u2069", "")


def in_order(text: str, needles: list[str]) -> bool:
    positions = [text.find(needle) for needle in needles]
    return -1 not in positions and positions == sorted(positions)


def pdf_text(content: bytes) -> str:
    pages = PdfReader(io.BytesIO(content)).pages
    return unicodedata.normalize("NFKC", "\n".join(page.extract_text() for page in pages))


# --- The person ---------------------------------------------------------------------------------------------------


def test_a_person_is_their_name_then_what_tells_them_apart(people):
    maria = person_of(people["santos_forum"])
    assert (maria.name, maria.full_name, maria.organisation, maria.country) == (
        "Maria", "Maria Santos", "Migrant Forum in Asia", "Philippines",
    )  # fmt: skip
    assert maria.label == "Maria — Maria Santos · Migrant Forum in Asia · Philippines"
    assert plain(maria.isolated_label) == maria.label and maria.isolated_label.startswith("\u2068Maria\u2069 — ")
    amal = person_of(people["amal"])
    assert (amal.name, amal.full_name) == ("Amal Haddad", "")  # the full name is not printed twice
    nobody = person_of(UserFactory(email="no.profile@example.org"))
    assert (nobody.name, nobody.details) == ("no.profile@example.org", ())


def test_people_sort_by_what_is_printed_and_search_all_of_it(people):
    loaded = load_people(user.pk for user in people.values())
    by_key = {key: loaded[user.pk] for key, user in people.items()}
    assert sorted(loaded.values(), key=lambda person: person.sort_key) == [by_key[key] for key in PRINTED]
    cruz = by_key["cruz"]
    assert cruz.matches("maria cruz") and cruz.matches("KAFA") and cruz.matches("lebanon")
    assert not by_key["reyes"].matches("kafa")
    assert Person(pk=1, name="Nadia").hiding(country=True) == Person(pk=1, name="Nadia")


def test_people_load_in_one_query_whatever_their_number(people, django_assert_num_queries):
    with django_assert_num_queries(1):
        loaded = load_people([user.pk for user in people.values()])
    assert len(loaded) == len(PEOPLE)


# --- Pages and pickers ---------------------------------------------------------------------------------------------


def test_the_cohort_page_tells_the_marias_apart_in_printed_order(client, organiser, cohort, people):
    client.force_login(organiser)
    html = client.get(reverse("participants:cohort", kwargs={"pk": cohort.pk})).text
    assert html.count('<bdi class="fw-semibold">Maria</bdi>') == 4
    for full_name, organisation in [("María Cruz", "Kafa"), ("Maria Reyes", "Department of Migrant Workers")]:
        assert f"<bdi>{full_name}</bdi>&nbsp;· <bdi>{organisation}</bdi>" in html
    assert in_order(html, ["Amal Haddad", "José Rizal Mercado", "María Cruz", "Maria Reyes", "Migrant Forum in Asia",
                           "Ministry of Labour"])  # fmt: skip


def test_the_attendance_picker_offers_each_person_once_in_printed_order(client, organiser, cohort, people):
    client.force_login(organiser)
    html = client.get(reverse("participants:attendance", kwargs={"pk": cohort.pk})).text
    picker = re.search(r'<select name="registration".*?</select>', html, re.S).group(0)
    options = [plain(text) for text in re.findall(r"<option[^>]*>([^<]*)</option>", picker)]
    assert options == [person_of(people[key], country=people[key].registrations.get().country).label
                       for key in PRINTED]  # fmt: skip
    assert "Maria — Maria Santos · Migrant Forum in Asia · Philippines" in options
    assert "Maria — Maria Santos · Ministry of Labour · Indonesia" in options
    assert len(set(options)) == len(options)


def test_the_follow_up_picker_tells_the_marias_apart(client, cohort, people):
    evaluation_services.attach_default_plan(cohort=cohort)
    survey = cohort.surveys.filter(instrument__slug="follow-up").order_by("opens_at").first()
    token = make_token(survey_id=survey.pk, user_id=people["jose"].pk)
    from evaluations.models import Survey

    now = timezone.now()
    Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.OPEN, opens_at=now - datetime.timedelta(hours=1),
                                               closes_at=now + datetime.timedelta(days=1))  # fmt: skip
    html = client.get(reverse("evaluations:respond", kwargs={"token": token})).text
    question = html[html.index('name="q-ties_information"') - 300 : html.index('name="q-ties_referral"')]
    assert question.count('<bdi class="fw-semibold">Maria</bdi>') == 4
    assert "<bdi>Maria Santos</bdi>&nbsp;· <bdi>Ministry of Labour</bdi>&nbsp;· <bdi>Indonesia</bdi>" in question
    assert "José Rizal Mercado" not in question  # never oneself
    assert in_order(question, ["Amal Haddad", "María Cruz", "Maria Reyes", "Migrant Forum", "Ministry of Labour"])


def test_the_collaborations_picker_tells_cohort_mates_apart(client, people):
    client.force_login(people["jose"])
    html = client.get(reverse("evaluations:collaborations")).text
    picker = html[html.index('id="collaboration-people"') : html.index('id="collaborator-search"')]
    assert picker.count('<bdi class="fw-semibold">Maria</bdi>') == 4
    # Met in the cohort: the passport name, as on their badge; what they share in the directory, nothing more.
    assert in_order(picker, ["Amal Haddad", "María Cruz", "Maria Reyes", "Maria Santos"])
    assert "Kafa" not in picker


def test_the_day_page_search_covers_the_full_name_organisation_and_country(client, organiser, cohort, people):
    client.force_login(organiser)
    day = cohort.session.start_date.isoformat()
    html = client.get(reverse("participants:session_day", kwargs={"pk": cohort.pk, "date": day})).text
    assert 'data-search="maria maria cruz kafa lebanon"' in html
    assert in_order(html, ['id="person-', "Amal Haddad", "José Rizal Mercado", "María Cruz", "Maria Reyes"])


def test_the_directory_search_finds_an_organisation_or_country_only_where_it_is_shared(cohort):
    shares = add_alumnus(cohort, "cruz", share=("organisation", "country"))
    hides = add_alumnus(cohort, "reyes")

    def found(query: str) -> set:
        page = alumni_selectors.search_directory(filters=alumni_selectors.DirectoryFilters(q=query))
        return {card.user_id for card in page.object_list}

    assert found("kafa") == found("Lebanon") == found("maria cruz") == {shares.pk}
    assert found("department of migrant") == set()  # Maria Reyes does not share her organisation
    assert found("maria") == {shares.pk, hides.pk}


def test_the_audit_trail_tells_actors_and_subjects_apart(client, organiser, cohort, people):
    for key in ("santos_forum", "santos_ministry"):
        AuditEntry.objects.create(actor=people["reyes"], action=AuditEntry.Action.VIEWED, what="Photo",
                                  cohort=cohort, subject=people[key])  # fmt: skip
    client.force_login(organiser)
    html = client.get(reverse("participants:audit")).text
    assert html.count("<bdi>Maria Reyes</bdi>&nbsp;· <bdi>Department of Migrant Workers</bdi>") == 2  # who
    assert "<bdi>Maria Santos</bdi>&nbsp;· <bdi>Migrant Forum in Asia</bdi>" in html  # whose data
    assert "<bdi>Maria Santos</bdi>&nbsp;· <bdi>Ministry of Labour</bdi>" in html


def test_the_networks_bridges_tell_the_marias_apart(client, organiser, cohort, people):
    when = cohort.session.end_date + datetime.timedelta(days=30)
    for reporter, other in [("santos_forum", "reyes"), ("cruz", "santos_ministry")]:
        Tie.objects.create(reporter=people[reporter], other=people[other], kind="referral", cohort=cohort,
                           source="collaboration", reported_on=when)  # fmt: skip
    client.force_login(organiser)
    html = client.get(reverse("evaluations:cohort_network", kwargs={"pk": cohort.pk})).text
    bridges = html[html.index('id="bridges-heading"') :]
    assert bridges.count('<bdi class="fw-semibold">Maria</bdi>') == 4
    assert in_order(bridges, ["María Cruz", "Maria Reyes", "Migrant Forum in Asia", "Ministry of Labour"])


# --- Printed and exported --------------------------------------------------------------------------------------


def test_badges_and_sign_in_sheets_tell_the_marias_apart_in_printed_order(cohort, people):
    session, pack_people, _certified = pack_data(cohort=cohort, language="en")
    badges = pdf_text(build_badges(session, pack_people))
    for full_name in ("María Cruz", "Maria Reyes"):
        assert f"Maria\n{full_name}\n" in badges  # the passport name under the preferred one
    assert badges.count("Maria\nMaria Santos\n") == 2
    sheet = pdf_text(build_sign_in_sheets(session, pack_people)).split("Day 2")[0]
    assert in_order(sheet, ["Amal Haddad", "Jose\nJosé Rizal Mercado", "Maria\nMaría Cruz", "Maria\nMaria Reyes",
                            "Migrant Forum in Asia", "Ministry of Labour"])  # fmt: skip


def test_the_excel_export_has_the_printed_name_and_its_order(client, organiser, cohort, people):
    client.force_login(organiser)
    response = client.get(reverse("participants:cohort_export", kwargs={"pk": cohort.pk}))
    rows = list(load_workbook(io.BytesIO(response.content), read_only=True).active.iter_rows(values_only=True))
    assert rows[0][:2] == ("Name", "Full name (passport)")
    assert [row[:2] for row in rows[1:]] == [(PEOPLE[key][0] or PEOPLE[key][1], PEOPLE[key][1]) for key in PRINTED]
    organisation = rows[0].index("Organisation")
    assert [row[organisation] for row in rows[-2:]] == ["Migrant Forum in Asia", "Ministry of Labour"]


def test_the_pages_that_name_people_take_no_more_queries_for_more_people(client, organiser, cohort, people):
    client.force_login(organiser)
    urls = [reverse("participants:cohort", kwargs={"pk": cohort.pk}),
            reverse("participants:attendance", kwargs={"pk": cohort.pk}),
            reverse("evaluations:cohort_network", kwargs={"pk": cohort.pk}), reverse("participants:audit")]  # fmt: skip

    def counts() -> list[int]:
        numbers = []
        for url in urls:
            client.get(url)
            cache.clear()
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            numbers.append(len(queries.captured_queries))
        return numbers

    before = counts()
    for number in range(4):
        maria = alumnus(cohort, "civil_society", "PH", preferred_name="Maria", full_name=f"Maria Luna {number}")
        AuditEntry.objects.create(actor=maria, action=AuditEntry.Action.VIEWED, what="Photo", subject=people["cruz"])
        Tie.objects.create(reporter=maria, other=people["reyes"], kind="referral", cohort=cohort,
                           source="collaboration", reported_on=cohort.session.end_date)  # fmt: skip
    assert Registration.objects.filter(cohort=cohort, status=RegistrationStatus.ATTENDED).count() == 10
    assert counts() == before
