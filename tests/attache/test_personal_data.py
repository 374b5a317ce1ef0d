"""A person downloads everything held about them (JSON, Excel) and can erase it: their identity goes everywhere,
the figures and other people's records stay as they were."""

import io
import json

import pytest
from openpyxl import load_workbook

from evaluations.models import DirectoryListing, Tie
from participants.models import AuditEntry, Registration, RegistrationStatus
from participants.services import register
from tests.factories import PASSWORD, CohortFactory, alumnus, person

pytestmark = pytest.mark.django_db


def _confirm_password(client) -> None:
    """allauth's reauthentication: the password typed again, so that the next minutes count as recent."""
    response = client.post("/en/accounts/reauthenticate/", {"password": PASSWORD})
    assert response.status_code == 302, response.content[:500]


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
    # Erasing asks for the password again first (a session left open is not enough).
    response = client.post("/en/my-data/", {"email": me.email, "understood": "on"})
    assert response.status_code == 302 and "/reauthenticate/" in response["Location"]
    me.refresh_from_db()
    assert me.is_active
    _confirm_password(client)
    refused = client.post("/en/my-data/", {"email": "someone.else@example.org", "understood": "on"})
    assert "This is not the address of your account." in refused.content.decode()
    me.refresh_from_db()
    assert me.is_active
    response = client.post("/en/my-data/", {"email": me.email.upper(), "understood": "on"})
    assert response.status_code == 302

    me.refresh_from_db()
    assert not me.is_active and me.email.endswith("@erased.invalid") and not me.has_usable_password()
    assert me.profile.full_name == "(erased)" and me.profile.phone == "" and not me.profile.listed_in_directory
    assert me.profile.organisation_id is None and not me.profile.nationality  # could name them in a small cohort
    assert Registration.objects.get(user=me, cohort=past).sector == "civil_society"  # what the figures count
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
    _confirm_password(client)
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
    _confirm_password(client)
    client.post("/en/my-data/", {"email": me.email, "understood": "on"})
    assert not storage.exists(name)
    assert not SessionPack.objects.get(pk=pack.pk).file


def test_erasure_reaches_old_addresses_organisers_notes_and_own_words_but_keeps_ratings(client, past):
    import datetime

    from django.utils import timezone

    from evaluations.models import Question, Response, Survey
    from evaluations.services import attach_default_plan
    from participants.models import Invitation, RegistrationEvent

    me = alumnus(past, "civil_society", full_name="Lina Haddad")
    registration = Registration.objects.get(user=me, cohort=past)
    registration.decision_reason = "Lina works on the Haddad trafficking case"
    registration.save()
    RegistrationEvent.objects.create(registration=registration, kind="override", to_status="confirmed",
                                     reason="Lina Haddad, speaker")  # fmt: skip
    Invitation.objects.create(cohort=past, email="lina.old@example.org", full_name="Lina Haddad", status="accepted",
                              intended_sector="civil_society", registration=registration,
                              expires_at=timezone.now() + datetime.timedelta(days=5))  # fmt: skip
    attach_default_plan(cohort=past)
    survey = Survey.objects.get(cohort=past, instrument__slug="end-of-session")
    questions = {question.kind: question.key for question in Question.objects.filter(instrument=survey.instrument)}
    answers = {questions["likert"]: 5, questions["long_text"]: "I am Lina from the ministry"}
    Response.objects.create(survey=survey, respondent=me, submitted=True, submitted_on=past.session.end_date,
                            answers=answers)  # fmt: skip

    client.force_login(me)
    _confirm_password(client)
    client.post("/en/my-data/", {"email": me.email, "understood": "on"})

    invitation = Invitation.objects.get(registration=registration)
    assert invitation.email.endswith("@erased.invalid") and invitation.full_name == ""
    registration.refresh_from_db()
    assert registration.decision_reason == ""
    assert not RegistrationEvent.objects.filter(registration=registration).exclude(reason="").exists()
    kept = Response.objects.get(survey=survey, respondent=me).answers
    assert kept[questions["likert"]] == 5 and kept[questions["long_text"]] == ""
    follow_up = Survey.objects.filter(cohort=past, instrument__kind="follow_up").first()
    from evaluations.services.surveys import _who_is_asked

    assert not _who_is_asked(follow_up).filter(user=me).exists()  # no questionnaire to an erased account
