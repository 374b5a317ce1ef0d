"""The audit trail: views of personal data (once per person and page in 10 minutes), exports, decisions and
overrides by organisers, people's own requests; kept for AUDIT_RETENTION_DAYS; invitations never accepted purged."""

import datetime

import pytest
from django.utils import timezone

from courses.permissions import TRAINERS
from participants.audit_details import describe
from participants.models import AuditEntry, ExportRecord, Invitation, Registration, RegistrationEvent
from participants.services import (
    forget_old_audit_entries,
    override_decision,
    purge_unanswered_invitations,
    register,
)
from participants.tasks import purge_unanswered_invitations as purge_task
from tests.factories import CohortFactory, UserFactory, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort():
    return CohortFactory(capacity=30)


def test_an_organiser_viewing_a_cohort_is_recorded_once_in_ten_minutes(client, cohort, organiser):
    client.force_login(organiser)
    for _ in range(3):
        assert client.get(f"/en/organise/cohorts/{cohort.pk}/").status_code == 200
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action, entry.cohort) == (organiser, AuditEntry.Action.VIEWED, cohort)
    assert entry.details == {"code": "cohort_page"} and entry.what == ""


def test_the_trail_shows_views_exports_and_decisions_but_not_peoples_own_steps(client, cohort, organiser):
    registration = register(cohort=cohort, user=person("government"))
    override_decision(registration=registration, status="confirmed", by=organiser, reason="Speaker of the day")
    client.force_login(organiser)
    client.get(f"/en/organise/cohorts/{cohort.pk}/")
    assert client.get(f"/en/organise/cohorts/{cohort.pk}/participants.xlsx").status_code == 200
    html = client.get("/en/organise/audit/").content.decode()
    assert "Viewed personal data" in html and "Export" in html
    assert "Speaker of the day" in html and "Override of the rules" in html
    assert RegistrationEvent.objects.filter(kind="applied").exists()
    assert "Applied" not in html  # the person's own application is not an audit entry
    decisions = client.get("/en/organise/audit/?kind=decisions").content.decode()
    assert "Speaker of the day" in decisions and "Viewed personal data" not in decisions
    assert client.get("/en/organise/audit/?kind=nonsense&page=x").status_code == 200
    assert client.get("/ar/organise/audit/").status_code == 200


def test_only_organisers_read_the_trail(client):
    client.force_login(UserFactory(groups=[TRAINERS]))
    assert client.get("/en/organise/audit/").status_code == 403


def test_entries_past_their_retention_are_forgotten(settings, cohort, organiser):
    settings.AUDIT_RETENTION_DAYS = 30
    old = AuditEntry.objects.create(action="viewed", what="old", actor=organiser)
    AuditEntry.objects.filter(pk=old.pk).update(at=timezone.now() - datetime.timedelta(days=31))
    AuditEntry.objects.create(action="viewed", what="recent", actor=organiser)
    export = ExportRecord.objects.create(user=organiser, kind="cohort", rows=3)
    ExportRecord.objects.filter(pk=export.pk).update(created_at=timezone.now() - datetime.timedelta(days=31))
    assert forget_old_audit_entries() == 2
    assert list(AuditEntry.objects.values_list("what", flat=True)) == ["recent"]
    assert not ExportRecord.objects.exists()


def test_invitations_never_accepted_are_purged_after_the_period(settings, cohort):
    settings.INVITATION_PURGE_DAYS = 90
    now = timezone.now()
    long_ago, lately = now - datetime.timedelta(days=100), now - datetime.timedelta(days=10)
    for email, status, expires in (
        ("old.pending@example.org", "pending", long_ago),
        ("old.declined@example.org", "declined", long_ago),
        ("recent@example.org", "pending", lately),
    ):
        Invitation.objects.create(cohort=cohort, email=email, intended_sector="government", status=status,
                                  expires_at=expires)  # fmt: skip
    registration = Registration.objects.create(user=person(), cohort=cohort, sector="government", country="TH")
    Invitation.objects.create(cohort=cohort, email="accepted@example.org", intended_sector="government",
                              status="accepted", expires_at=long_ago, registration=registration)  # fmt: skip
    assert purge_task() == 2
    assert set(Invitation.objects.values_list("email", flat=True)) == {"recent@example.org", "accepted@example.org"}
    entry = AuditEntry.objects.get(action=AuditEntry.Action.PURGED)
    assert entry.details == {"code": "purged", "count": 2} and entry.cohort == cohort
    assert describe(entry.details) == "2 invitations never answered"
    assert purge_unanswered_invitations() == 0  # run again: nothing left to purge


def test_the_record_of_an_erasure_outlives_the_retention(settings, organiser):
    settings.AUDIT_RETENTION_DAYS = 30
    erased = AuditEntry.objects.create(action=AuditEntry.Action.ERASED, what="personal data")
    AuditEntry.objects.filter(pk=erased.pk).update(at=timezone.now() - datetime.timedelta(days=400))
    assert forget_old_audit_entries() == 0
    assert AuditEntry.objects.filter(pk=erased.pk).exists()


def test_an_organiser_opening_someone_elses_visa_letter_is_recorded(client, cohort, organiser):
    registration = register(cohort=cohort, user=person("government"))
    client.force_login(organiser)
    assert client.get(f"/en/registrations/{registration.pk}/visa-letter/").status_code == 200
    entry = AuditEntry.objects.get(subject=registration.user)
    assert entry.actor == organiser and entry.details == {"code": "visa_letter"}


def test_the_cohort_page_is_never_kept_by_a_cache_on_the_way(client, cohort, organiser):
    client.force_login(organiser)
    response = client.get(f"/en/organise/cohorts/{cohort.pk}/")
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_every_kind_of_entry_is_put_into_words_in_the_readers_language():
    from django.utils import translation

    from participants import audit_details

    examples = [
        audit_details.viewed(page)
        for page in (
            "cohort_page",
            "photo",
            "attendance",
            "visa_letter",
            "certificate",
            "application",
            "call_applications",
        )
    ] + [
        audit_details.viewed("day_view", date="2026-03-12"),
        audit_details.viewed("not_answered", questionnaire="Daily check-in"),
        audit_details.viewed("network", country="TH"),
        audit_details.cohort_settings([("capacity", 30, 34), ("auto_confirm", True, False)]),
        audit_details.survey_timing(
            questionnaire="Daily check-in",
            opens=("2026-03-12T13:00:00Z", "2026-03-12T14:00:00Z"),
            closes=("2026-03-13T13:00:00Z", "2026-03-13T14:00:00Z"),
        ),  # fmt: skip
        audit_details.role_changed(added=True, role=TRAINERS),
        audit_details.role_changed(added=False, role=TRAINERS),
        audit_details.own_data(format="json"),
        audit_details.erased(),
        audit_details.purged(count=3),
        # Review of applications
        audit_details.viewed("application_review"),
        audit_details.viewed("call_scores"),
        audit_details.criterion_saved(label="Relevance", added=True, weight=(None, 3)),
        audit_details.criterion_saved(label="Relevance", added=False, weight=(3, 5)),
        audit_details.criterion_removed(label="Relevance"),
        audit_details.blind_review(on=True),
        audit_details.blind_review(on=False),
        audit_details.call_reviewer(added=True),
        audit_details.call_reviewer(added=False, scored=2, taken_back=1),
        audit_details.reviews_assigned(count=12, per_application=2),
        audit_details.nomination_link(added=True, organisation="Ministry of Labour", email="focal@labour.example"),
        audit_details.nomination_link(added=False, organisation="Ministry of Labour", email="focal@labour.example"),
        audit_details.selection_decided(selected=30, reserve=12, not_selected=58),
    ]
    assert {example["code"] for example in examples} == set(audit_details.DESCRIBE)
    for details in examples:
        with translation.override("en"):
            english = describe(details)
        with translation.override("ar"):
            arabic = describe(details)
        with translation.override("fr"):
            french = describe(details)
        assert english and arabic != english and french != english, details
    with translation.override("ar"):
        assert "تايلند" in describe(audit_details.viewed("network", country="TH"))
        assert "12 مارس" in describe(audit_details.viewed("day_view", date="2026-03-12"))
        assert describe({}, "Cohort page: an entry from before") == "Cohort page: an entry from before"


def test_exports_and_decisions_read_in_arabic_on_the_trail(client, cohort, organiser):
    registration = register(cohort=cohort, user=person("government"))
    override_decision(registration=registration, status="confirmed", by=organiser, reason="Speaker of the day")
    ExportRecord.objects.create(user=organiser, kind="cohort_participants", cohort=cohort, rows=2)
    AuditEntry.objects.create(actor=organiser, action=AuditEntry.Action.VIEWED, what="Day view 2026-03-12: old entry")
    client.force_login(organiser)
    arabic = client.get("/ar/organise/audit/").content.decode()
    assert "قائمة المشاركين (صفان)" in arabic
    assert "Speaker of the day" in arabic and "مؤكَّد" in arabic
    assert "cohort_participants" not in arabic and "confirmed" not in arabic
    assert "Day view 2026-03-12: old entry" in arabic  # written before details: shown as it was stored
