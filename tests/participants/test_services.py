"""The cohort's rules, at the service level, against the database."""

import pytest

from courses.models import OutboundEmail
from participants.models import Registration, RegistrationEvent, RegistrationStatus
from participants.selectors import get_waitlist_position
from participants.services import (
    AdmissionError,
    RegistrationError,
    confirm_registration,
    override_decision,
    register,
    waitlist_registration,
    withdraw_registration,
)
from tests.factories import CohortFactory, UserFactory, person

pytestmark = pytest.mark.django_db
GOV, CIV, OTHER = "government", "civil_society", "other"
S = RegistrationStatus


def fill(cohort, sector, n, country="TH"):
    return [register(cohort=cohort, user=person(sector, country)) for _ in range(n)]


def test_the_ceiling_is_capacity_times_target_plus_tolerance_rounded_down():
    cohort = CohortFactory(capacity=36, target_government=50, target_civil_society=50, tolerance=10)
    assert cohort.ceiling(GOV) == 21 and cohort.ceiling(CIV) == 21  # 36 × 0.6 = 21.6
    assert cohort.ceiling(OTHER) == 3  # 36 × (0 + 0.1)
    cohort.capacity = 35
    assert cohort.ceiling(GOV) == 21  # 35 × 0.6 = 21


def test_a_registration_is_confirmed_while_its_sector_is_below_its_ceiling():
    cohort = CohortFactory(capacity=30)
    registration = register(cohort=cohort, user=person(GOV))
    assert registration.status == S.CONFIRMED
    assert registration.sector == GOV and registration.country == "TH"


def test_the_sector_ceiling_waitlists_the_next_person_with_their_position():
    cohort = CohortFactory(capacity=30)  # ceiling 18 per sector
    fill(cohort, GOV, 18)
    first, second = fill(cohort, GOV, 2)
    assert (first.status, second.status) == (S.WAITLISTED, S.WAITLISTED)
    assert get_waitlist_position(registration=first) == 1
    assert get_waitlist_position(registration=second) == 2
    assert register(cohort=cohort, user=person(CIV)).status == S.CONFIRMED  # the other sector still has room


def test_a_full_cohort_waitlists_everyone():
    cohort = CohortFactory(capacity=30, target_government=50, target_civil_society=50, tolerance=50)
    fill(cohort, GOV, 15)
    fill(cohort, CIV, 15)
    late = register(cohort=cohort, user=person(CIV))
    assert late.status == S.WAITLISTED
    assert Registration.objects.filter(cohort=cohort, status=S.CONFIRMED).count() == 30


def test_a_country_cap_waitlists_the_next_person_from_that_country():
    cohort = CohortFactory(capacity=30, max_per_country=2)
    fill(cohort, GOV, 2, country="PH")
    assert register(cohort=cohort, user=person(GOV, "PH")).status == S.WAITLISTED
    assert register(cohort=cohort, user=person(GOV, "ID")).status == S.CONFIRMED


def test_without_auto_confirm_a_registration_waits_for_an_organiser_who_obeys_the_same_rules():
    cohort = CohortFactory(capacity=30, auto_confirm=False, tolerance=0)  # ceiling 15 per sector
    organiser = UserFactory()
    pending = [register(cohort=cohort, user=person(GOV)) for _ in range(16)]
    assert {r.status for r in pending} == {S.REGISTERED}
    for registration in pending[:15]:
        confirm_registration(registration=registration, by=organiser)
    with pytest.raises(AdmissionError, match="sector"):
        confirm_registration(registration=pending[15], by=organiser)
    assert Registration.objects.get(pk=pending[15].pk).status == S.REGISTERED


def test_a_cancellation_promotes_the_sector_furthest_below_target_then_by_application_time():
    cohort = CohortFactory(capacity=30, target_government=50, target_civil_society=50, tolerance=10)
    government = fill(cohort, GOV, 18)  # at its ceiling
    fill(cohort, CIV, 12)  # full: 30 seats
    waiting_gov = fill(cohort, GOV, 1)[0]  # applied first, but government is above its target
    waiting_civ_1, waiting_civ_2 = fill(cohort, CIV, 2)
    assert {waiting_gov.status, waiting_civ_1.status, waiting_civ_2.status} == {S.WAITLISTED}

    withdraw_registration(registration=government[0], by=government[0].user)
    # Government holds 17 of a target of 15, civil society 12: civil society is furthest below.
    assert Registration.objects.get(pk=waiting_civ_1.pk).status == S.CONFIRMED
    assert Registration.objects.get(pk=waiting_civ_2.pk).status == S.WAITLISTED
    assert Registration.objects.get(pk=waiting_gov.pk).status == S.WAITLISTED
    event = RegistrationEvent.objects.filter(registration=waiting_civ_1).last()
    assert event.kind == RegistrationEvent.Kind.PROMOTION


def test_a_promotion_never_breaks_a_ceiling():
    cohort = CohortFactory(capacity=30)
    fill(cohort, GOV, 18)
    waiting = fill(cohort, GOV, 1)[0]
    civil = fill(cohort, CIV, 1)[0]
    withdraw_registration(registration=civil, by=civil.user)  # a free seat, but government is at its ceiling
    assert Registration.objects.get(pk=waiting.pk).status == S.WAITLISTED


def test_moving_a_confirmed_person_to_the_waitlist_offers_the_seat_to_the_next_in_line():
    cohort = CohortFactory(capacity=30)
    government = fill(cohort, GOV, 18)
    waiting = fill(cohort, GOV, 1)[0]
    waitlist_registration(registration=government[0], by=UserFactory(), reason="Asked to come next year")
    assert Registration.objects.get(pk=waiting.pk).status == S.CONFIRMED
    assert Registration.objects.get(pk=government[0].pk).status == S.WAITLISTED


def test_an_override_needs_a_reason_is_logged_and_never_exceeds_capacity():
    cohort = CohortFactory(capacity=30)
    organiser = UserFactory()
    fill(cohort, GOV, 18)
    waiting = fill(cohort, GOV, 1)[0]
    with pytest.raises(RegistrationError, match="why"):
        override_decision(registration=waiting, status=S.CONFIRMED, by=organiser, reason="  ")
    override_decision(registration=waiting, status=S.CONFIRMED, by=organiser, reason="Only attaché posted in Doha")
    waiting.refresh_from_db()
    assert (waiting.status, waiting.decided_by, waiting.decision_reason) == (
        S.CONFIRMED, organiser, "Only attaché posted in Doha"
    )  # fmt: skip
    event = RegistrationEvent.objects.filter(registration=waiting, kind=RegistrationEvent.Kind.OVERRIDE).get()
    assert (event.from_status, event.to_status, event.actor) == (S.WAITLISTED, S.CONFIRMED, organiser)

    fill(cohort, CIV, 11)  # 30 seated now
    late = fill(cohort, CIV, 1)[0]
    with pytest.raises(AdmissionError, match="full"):
        override_decision(registration=late, status=S.CONFIRMED, by=organiser, reason="VIP")


def test_registering_twice_is_refused_with_a_clear_message():
    cohort = CohortFactory()
    user = person(GOV)
    register(cohort=cohort, user=user)
    with pytest.raises(RegistrationError, match="already registered"):
        register(cohort=cohort, user=user)


def test_each_change_is_emailed_once_in_the_persons_language(mailoutbox, django_capture_on_commit_callbacks):
    from courses.outbox import deliver

    cohort = CohortFactory(capacity=30)
    fill(cohort, GOV, 18)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # the task is queued after commit; sync in tests
        waiting = register(cohort=cohort, user=person(GOV), logistics={"language": "fr"})
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [waiting.user.email]
    assert mailoutbox[0].subject == f"Vous êtes sur la liste d’attente : {cohort.session.title}"
    assert "Vous êtes numéro 1 sur la liste d’attente" in mailoutbox[0].body
    event = RegistrationEvent.objects.filter(registration=waiting).last()
    assert event.notified_at is not None
    assert deliver(OutboundEmail.objects.get(key=f"registration-event:{event.pk}").pk) == "busy"  # a retried task
    assert len(mailoutbox) == 1


def test_registration_is_refused_outside_the_cohorts_registration_dates():
    import datetime

    from django.utils import timezone

    now = timezone.now()
    early = CohortFactory(registration_opens=now + datetime.timedelta(days=3))
    with pytest.raises(RegistrationError, match="Registration opens on"):
        register(cohort=early, user=person(GOV))
    late = CohortFactory(registration_closes=now - datetime.timedelta(days=1))
    with pytest.raises(RegistrationError, match="Registration closed on"):
        register(cohort=late, user=person(GOV))
    assert not Registration.objects.exists()


def test_an_attended_registration_is_never_waitlisted_or_overridden():
    """Attended and no-show come from the attendance; a decision on them (a crafted POST) is refused."""
    from participants.models import Registration, RegistrationStatus
    from participants.services import RegistrationError, override_decision, waitlist_registration
    from tests.factories import CohortFactory, UserFactory, person

    cohort = CohortFactory(capacity=30)
    attended = Registration.objects.create(user=person(), cohort=cohort, sector="government", country="TH",
                                           status=RegistrationStatus.ATTENDED)  # fmt: skip
    organiser = UserFactory()
    with pytest.raises(RegistrationError, match="correct the attendance"):
        waitlist_registration(registration=attended, by=organiser)
    with pytest.raises(RegistrationError, match="correct the attendance"):
        override_decision(registration=attended, status=RegistrationStatus.CONFIRMED, by=organiser, reason="x")
    attended.refresh_from_db()
    assert attended.status == RegistrationStatus.ATTENDED
