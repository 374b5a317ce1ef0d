"""A cohort's settings: the service's rules against the database, the organisers' page and the Django admin."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from courses.models import OutboundEmail
from participants.models import AuditEntry, Cohort, Registration, RegistrationEvent, RegistrationStatus
from participants.services import CohortSettingsError, register, update_cohort_settings
from tests.factories import CohortFactory, UserFactory, person

pytestmark = pytest.mark.django_db
GOV, CIV = "government", "civil_society"
S = RegistrationStatus


def fill(cohort, sector, n, country="TH"):
    return [register(cohort=cohort, user=person(sector, country)) for _ in range(n)]


def status(registration) -> str:
    return Registration.objects.get(pk=registration.pk).status


@pytest.fixture
def full_cohort():
    """30 seats, all taken (18 government at their ceiling, 12 civil society), and three people waiting."""
    cohort = CohortFactory(capacity=30, target_government=50, target_civil_society=50, tolerance=10)
    fill(cohort, GOV, 18)
    fill(cohort, CIV, 12)
    waiting_gov = fill(cohort, GOV, 1)[0]
    waiting_civ_1, waiting_civ_2 = fill(cohort, CIV, 2)
    assert {status(r) for r in (waiting_gov, waiting_civ_1, waiting_civ_2)} == {S.WAITLISTED}
    return cohort, waiting_gov, waiting_civ_1, waiting_civ_2


def test_raising_the_capacity_moves_the_waitlist_up_furthest_below_target_first(
    full_cohort, mailoutbox, django_capture_on_commit_callbacks
):
    cohort, waiting_gov, waiting_civ_1, waiting_civ_2 = full_cohort
    organiser = UserFactory()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        promoted = update_cohort_settings(cohort=cohort, changes={"capacity": 32}, by=organiser)
    # Civil society (12, target 16) is furthest below its target; government (18) is at its ceiling of 19 → 19.
    assert promoted == [waiting_civ_1, waiting_civ_2]
    assert status(waiting_civ_1) == status(waiting_civ_2) == S.CONFIRMED
    assert status(waiting_gov) == S.WAITLISTED
    assert RegistrationEvent.objects.filter(kind=RegistrationEvent.Kind.PROMOTION).count() == 2
    assert sorted(m.to[0] for m in mailoutbox) == sorted([waiting_civ_1.user.email, waiting_civ_2.user.email])
    assert OutboundEmail.objects.filter(key__startswith="registration-event:").count() >= 2


def test_a_ceiling_raised_by_the_tolerance_moves_the_waitlist_up_within_capacity(full_cohort):
    cohort, waiting_gov, *_civil = full_cohort
    update_cohort_settings(cohort=cohort, changes={"capacity": 31}, by=UserFactory())
    # One free seat: civil society is furthest below its target and takes it; government stays at 18 ≤ ceiling.
    assert status(waiting_gov) == S.WAITLISTED
    update_cohort_settings(cohort=cohort, changes={"capacity": 32, "tolerance": 20}, by=UserFactory())
    assert status(waiting_gov) == S.WAITLISTED  # civil society still furthest below target takes the seat
    update_cohort_settings(cohort=cohort, changes={"capacity": 33}, by=UserFactory())
    assert status(waiting_gov) == S.CONFIRMED  # ceiling 33 × 70 % = 23: government fits now


def test_promotion_respects_the_ceilings_even_when_seats_are_free():
    cohort = CohortFactory(capacity=30, target_government=50, target_civil_society=50, tolerance=10)
    fill(cohort, GOV, 18)
    waiting = fill(cohort, GOV, 1)[0]
    promoted = update_cohort_settings(cohort=cohort, changes={"capacity": 31}, by=UserFactory())
    # 31 × 60 % = 18.6 → 18: still at the ceiling, so no one moves although 13 seats are free.
    assert promoted == [] and status(waiting) == S.WAITLISTED


def test_lifting_the_country_cap_moves_the_waitlist_up():
    cohort = CohortFactory(capacity=30, max_per_country=2)
    fill(cohort, GOV, 2, country="PH")
    waiting = fill(cohort, GOV, 1, country="PH")[0]
    assert status(waiting) == S.WAITLISTED
    update_cohort_settings(cohort=cohort, changes={"max_per_country": None}, by=UserFactory())
    assert status(waiting) == S.CONFIRMED


@pytest.fixture
def crowded_cohort():
    """36 seats, 33 confirmed (21 government at their ceiling, 12 civil society)."""
    cohort = CohortFactory(capacity=36, target_government=50, target_civil_society=50, tolerance=10)
    fill(cohort, GOV, 21)
    fill(cohort, CIV, 12)
    return cohort


def test_lowering_the_capacity_below_the_confirmed_count_is_refused_and_nothing_changes(crowded_cohort):
    cohort = crowded_cohort
    with pytest.raises(CohortSettingsError) as error:
        update_cohort_settings(cohort=cohort, changes={"capacity": 32, "tolerance": 5}, by=UserFactory())
    assert "33 people are confirmed" in error.value.message_dict["capacity"][0]
    cohort.refresh_from_db()
    assert (cohort.capacity, cohort.tolerance) == (36, 10)
    assert Registration.objects.filter(cohort=cohort, status=S.CONFIRMED).count() == 33
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.SETTINGS).exists()


def test_the_cohorts_own_rules_hold(full_cohort):
    cohort, *_waiting = full_cohort
    with pytest.raises(CohortSettingsError) as error:
        update_cohort_settings(cohort=cohort, changes={"target_government": 60, "capacity": 50}, by=UserFactory())
    assert set(error.value.message_dict) == {"capacity", "target_civil_society"}


def test_each_change_is_logged_with_who_and_what(full_cohort):
    cohort, *_waiting = full_cohort
    organiser = UserFactory()
    update_cohort_settings(
        cohort=cohort, changes={"capacity": 30, "certificate_days": 3, "auto_confirm": False}, by=organiser
    )
    entry = AuditEntry.objects.get(action=AuditEntry.Action.SETTINGS)
    assert entry.actor == organiser and entry.cohort_id == cohort.pk
    assert entry.details == {
        "code": "cohort_settings", "changes": [["certificate_days", None, 3], ["auto_confirm", True, False]]
    }  # fmt: skip
    update_cohort_settings(cohort=cohort, changes={"capacity": 30}, by=organiser)  # no change: nothing logged
    assert AuditEntry.objects.filter(action=AuditEntry.Action.SETTINGS).count() == 1


# --- The Django admin goes through the same service ---


@pytest.fixture
def admin_client(client):
    admin = UserFactory(is_superuser=True, is_staff=True)
    TOTP.activate(admin, generate_totp_secret())
    client.force_login(admin)
    return client


def admin_data(cohort, **changes):
    data = {name: getattr(cohort, name) for name in ("capacity", "target_government", "target_civil_society",
                                                      "tolerance", "certificate_signatories")}  # fmt: skip
    data.update(session=cohort.session_id, auto_confirm="on", max_per_country="", certificate_days="",
                registration_opens_0="", registration_opens_1="", registration_closes_0="",
                registration_closes_1="")  # fmt: skip
    return {**data, **changes}


def test_raising_the_capacity_in_the_django_admin_moves_the_waitlist_up(admin_client, full_cohort):
    cohort, waiting_gov, waiting_civ_1, waiting_civ_2 = full_cohort
    response = admin_client.post(
        f"/django-admin/participants/cohort/{cohort.pk}/change/", admin_data(cohort, capacity=32)
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Cohort.objects.get(pk=cohort.pk).capacity == 32
    assert status(waiting_civ_1) == status(waiting_civ_2) == S.CONFIRMED
    assert AuditEntry.objects.filter(action=AuditEntry.Action.SETTINGS, cohort_id=cohort.pk).exists()


def test_the_django_admin_refuses_a_capacity_below_the_confirmed_count(admin_client, crowded_cohort):
    cohort = crowded_cohort
    response = admin_client.post(
        f"/django-admin/participants/cohort/{cohort.pk}/change/", admin_data(cohort, capacity=32)
    )
    assert response.status_code == 200
    assert "33 people are confirmed" in str(response.context["adminform"].form.errors["capacity"])
    assert Cohort.objects.get(pk=cohort.pk).capacity == 36


# --- The organisers' page: wiring ---


def settings_data(cohort, **changes):
    data = {name: getattr(cohort, name) for name in ("capacity", "target_government", "target_civil_society",
                                                      "tolerance", "certificate_signatories")}  # fmt: skip
    data.update(auto_confirm="on", max_per_country="", certificate_days="", registration_opens="",
                registration_closes="")  # fmt: skip
    return {**data, **changes}


def test_the_settings_page_shows_the_form_and_is_linked_from_the_cohort(client, organiser):
    cohort = CohortFactory(capacity=30)
    client.force_login(organiser)
    response = client.get(f"/en/organise/cohorts/{cohort.pk}/settings/")
    assert response.status_code == 200
    assert 'name="capacity"' in response.content.decode()
    assert (
        f"/en/organise/cohorts/{cohort.pk}/settings/"
        in client.get(f"/en/organise/cohorts/{cohort.pk}/").content.decode()
    )


def test_saving_the_settings_redirects_to_the_cohort_and_says_who_moved_up(client, organiser, full_cohort):
    cohort, _gov, waiting_civ_1, _civ = full_cohort
    client.force_login(organiser)
    response = client.post(f"/en/organise/cohorts/{cohort.pk}/settings/", settings_data(cohort, capacity=31),
                           follow=True)  # fmt: skip
    assert response.redirect_chain[-1][0] == f"/en/organise/cohorts/{cohort.pk}/"
    assert "1 person moved up from the waitlist" in response.content.decode()
    assert status(waiting_civ_1) == S.CONFIRMED


def test_a_refused_capacity_is_shown_next_to_the_field_with_the_input_kept(client, organiser, crowded_cohort):
    cohort = crowded_cohort
    client.force_login(organiser)
    response = client.post(f"/en/organise/cohorts/{cohort.pk}/settings/", settings_data(cohort, capacity=32,
                                                                                         tolerance=15))  # fmt: skip
    html = response.content.decode()
    assert response.status_code == 200
    assert 'aria-describedby="id_capacity_error"' in html and 'id="id_capacity_error"' in html
    assert "33 people are confirmed" in html
    assert 'name="tolerance" value="15"' in html
    assert Cohort.objects.get(pk=cohort.pk).tolerance == 10


def test_registration_dates_are_read_at_the_venues_wall_clock(client, organiser):
    import datetime

    cohort = CohortFactory(capacity=30)
    cohort.session.time_zone = "Asia/Amman"
    cohort.session.save()
    client.force_login(organiser)
    data = settings_data(cohort, registration_opens="2027-03-01T09:00", registration_closes="2027-04-01T17:30")
    assert client.post(f"/en/organise/cohorts/{cohort.pk}/settings/", data).status_code == 302
    cohort.refresh_from_db()
    assert cohort.registration_opens == datetime.datetime(2027, 3, 1, 6, 0, tzinfo=datetime.UTC)  # UTC+3
    html = client.get(f"/en/organise/cohorts/{cohort.pk}/settings/").content.decode()
    assert 'value="2027-03-01T09:00"' in html


def test_the_settings_page_reads_in_arabic_and_french(client, organiser):
    cohort = CohortFactory(capacity=30)
    client.force_login(organiser)
    arabic = client.get(f"/ar/organise/cohorts/{cohort.pk}/settings/").content.decode()
    assert 'dir="rtl"' in arabic and "إعدادات الدفعة" in arabic and "حفظ الإعدادات" in arabic
    french = client.get(f"/fr/organise/cohorts/{cohort.pk}/settings/").content.decode()
    assert "Paramètres du groupe" in french and "Places et équilibre" in french


def test_the_audit_trail_shows_settings_changes(client, organiser):
    cohort = CohortFactory(capacity=30)
    update_cohort_settings(cohort=cohort, changes={"capacity": 34}, by=organiser)
    client.force_login(organiser)
    page = client.get("/en/organise/audit/?kind=settings").content.decode()
    assert "Changed settings" in page and "Cohort settings: capacity: 30 → 34" in page
    # Stored as data, put into words in the reader's language.
    arabic = client.get("/ar/organise/audit/?kind=settings").content.decode()
    assert "إعدادات الدفعة: السعة: 30 ← 34" in arabic and "Cohort settings" not in arabic
    french = client.get("/fr/organise/audit/?kind=settings").content.decode()
    assert "Paramètres du groupe : capacité : 30 → 34" in french


@pytest.mark.django_db(transaction=True)
def test_a_capacity_lowered_while_people_register_never_leaves_anyone_without_a_seat():
    import threading

    from django.db import connection

    cohort = CohortFactory(capacity=36)  # ceiling 21 per sector
    fill(cohort, GOV, 13)
    fill(cohort, CIV, 13)
    people = [person(GOV if n % 2 else CIV) for n in range(20)]
    start = threading.Barrier(len(people) + 1)
    errors: list[BaseException] = []
    refused: list[CohortSettingsError] = []

    def run(work):
        try:
            start.wait()
            work()
        except CohortSettingsError as error:
            refused.append(error)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    works = [lambda user=user: register(cohort=cohort, user=user) for user in people]
    works.append(lambda: update_cohort_settings(cohort=cohort, changes={"capacity": 30}, by=None))
    threads = [threading.Thread(target=run, args=(work,)) for work in works]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    cohort.refresh_from_db()
    confirmed = Registration.objects.filter(cohort=cohort, status=S.CONFIRMED).count()
    assert confirmed <= cohort.capacity
    # Either the lowering came while 30 or fewer were seated (30 seats, all taken in the end), or after more took
    # a seat (refused: the 36 seats kept, all taken in the end).
    assert (cohort.capacity, confirmed, len(refused)) in {(30, 30, 0), (36, 36, 1)}
