"""A person downloads everything held about them (JSON, Excel) and can erase it: their identity goes everywhere,
the figures and other people's records stay as they were."""

import io
import json

import pytest
from openpyxl import load_workbook

from evaluations.models import DirectoryListing, Tie
from participants.models import AuditEntry, Registration, RegistrationStatus
from participants.services import register
from tests.factories import CohortFactory, alumnus, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def past():
    return CohortFactory(capacity=30)


def test_a_person_downloads_what_is_held_about_them_and_nothing_about_anyone_else(client, past):
    me = alumnus(past, "civil_society", full_name="Lina Haddad", position='=HYPERLINK("http://x")')
    other = alumnus(past, "government", full_name="Somchai Srisuk")
    Tie.objects.create(reporter=me, other=other, kind="referral", cohort=past, source="collaboration",
                       reported_on=past.session.end_date)  # fmt: skip
    client.force_login(me)
    page = client.get("/en/my-data/")
    assert page.status_code == 200 and "Download everything (JSON)" in page.content.decode()
    data = json.loads(client.get("/en/my-data/attache-my-data.json").content)
    assert data["account"][0]["email"] == me.email
    assert data["profile"][0]["full_name"] == "Lina Haddad"
    assert data["registrations"][0]["status"] == "attended"
    assert data["ties_reported"] == [{"with": "Somchai Srisuk", "kind": "referral", "source": "collaboration",
                                      "reported_on": past.session.end_date.isoformat()}]  # fmt: skip
    assert other.email not in json.dumps(data)
    workbook = load_workbook(io.BytesIO(client.get("/en/my-data/attache-my-data.xlsx").content), read_only=True)
    assert "profile" in workbook.sheetnames and "answers" in workbook.sheetnames
    profile = list(workbook["profile"].iter_rows(values_only=True))
    position = profile[1][profile[0].index("position")]
    assert position.startswith("'=")  # a formula typed into a field is written as text
    assert AuditEntry.objects.filter(subject=me, action=AuditEntry.Action.DOWNLOADED_OWN).count() == 2
    assert client.get("/en/my-data/attache-my-data.csv").status_code == 404


def test_erasure_anonymises_the_person_and_keeps_the_figures_and_other_peoples_records(client, past):
    me = alumnus(past, "civil_society", full_name="Lina Haddad", share=("sector",))
    other = alumnus(past, "government", full_name="Somchai Srisuk")
    Tie.objects.create(reporter=other, other=me, kind="referral", cohort=past, source="collaboration",
                       reported_on=past.session.end_date)  # fmt: skip
    upcoming = CohortFactory(capacity=30, target_government=50, target_civil_society=50, tolerance=0)
    seats = upcoming.ceiling("civil_society")
    for _ in range(seats - 1):
        register(cohort=upcoming, user=person("civil_society"))
    mine = register(cohort=upcoming, user=me)
    waiting = register(cohort=upcoming, user=person("civil_society"))
    assert (mine.status, waiting.status) == (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)

    client.force_login(me)
    refused = client.post("/en/my-data/", {"email": "someone.else@example.org", "understood": "on"})
    assert "This is not the address of your account." in refused.content.decode()
    me.refresh_from_db()
    assert me.is_active
    response = client.post("/en/my-data/", {"email": me.email.upper(), "understood": "on"})
    assert response.status_code == 302

    me.refresh_from_db()
    assert not me.is_active and me.email.endswith("@erased.invalid") and not me.has_usable_password()
    assert me.profile.full_name == "(erased)" and me.profile.phone == "" and not me.profile.listed_in_directory
    assert me.profile.organisation_id is not None  # the sector still counts in the figures
    assert not DirectoryListing.objects.filter(user=me).exists() and not me.groups.exists()
    assert Registration.objects.get(pk=mine.pk).status == RegistrationStatus.CANCELLED
    assert Registration.objects.get(pk=waiting.pk).status == RegistrationStatus.CONFIRMED  # the waitlist moved up
    assert Registration.objects.get(user=me, cohort=past).status == RegistrationStatus.ATTENDED
    assert Tie.objects.filter(reporter=other, other=me).exists()  # the other person's report stays
    other.refresh_from_db()
    assert other.is_active and other.profile.full_name == "Somchai Srisuk"
    assert AuditEntry.objects.filter(subject=me, action=AuditEntry.Action.ERASED).exists()
    assert client.get("/en/my-data/").status_code == 302  # signed out


def test_staff_are_closed_by_someone_else(client, organiser):
    client.force_login(organiser)
    response = client.post("/en/my-data/", {"email": organiser.email, "understood": "on"})
    assert response.status_code == 200 and "Ask another organiser" in response.content.decode()
    organiser.refresh_from_db()
    assert organiser.is_active


def test_signed_out_visitors_are_asked_to_sign_in(client):
    response = client.get("/en/my-data/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_erasure_deletes_the_printed_packs_that_carry_the_name(client, past, private_files):
    from django.core.files.base import ContentFile

    from participants.models import SessionPack

    me = alumnus(past, "civil_society", full_name="Lina Haddad")
    pack = SessionPack.objects.create(cohort=past, status=SessionPack.Status.READY, fingerprint="x")
    pack.file.save("pack.zip", ContentFile(b"badges with Lina Haddad"), save=True)
    storage, name = pack.file.storage, pack.file.name
    assert storage.exists(name)
    client.force_login(me)
    client.post("/en/my-data/", {"email": me.email, "understood": "on"})
    assert not storage.exists(name)
    assert not SessionPack.objects.get(pk=pack.pk).file
