"""The trainer's pages: wiring, permissions, and the files they give (read back)."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from PIL import Image

from courses.permissions import TRAINERS
from participants.models import Attendance, ExportRecord, Registration, RegistrationStatus
from participants.tokens import make_check_in_token
from tests.factories import CohortFactory, UserFactory, make_session, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(trainer):
    """A session that started yesterday at the venue: today is its second day."""
    start = timezone.localdate() - datetime.timedelta(days=1)
    session = make_session("running", start_date=start, end_date=start + datetime.timedelta(days=4))
    session.trainers.add(trainer)
    session.save()
    return CohortFactory(session=session)


def seat(cohort, **profile) -> Registration:
    user = person("civil_society", "KH")
    for name, value in profile.items():
        setattr(user.profile, name, value)
    user.profile.save()
    return Registration.objects.create(
        cohort=cohort, user=user, sector="civil_society", country="KH", status=RegistrationStatus.CONFIRMED
    )


def day_url(cohort, date):
    return reverse("participants:session_day", kwargs={"pk": cohort.pk, "date": date.isoformat()})


def test_my_sessions_lists_the_trainers_running_session(client, trainer, cohort):
    client.force_login(trainer)
    response = client.get(reverse("participants:trainer_sessions"))
    assert response.status_code == 200
    assert "Running now" in response.text and "Session running" in response.text


def test_the_session_opens_on_today(client, trainer, cohort):
    client.force_login(trainer)
    response = client.get(reverse("participants:session_today", kwargs={"pk": cohort.pk}))
    assert response.url == day_url(cohort, timezone.localdate())


def test_the_day_view_lists_the_confirmed_people_with_buttons(client, trainer, cohort):
    seat(cohort, full_name="Sokha Chan", native_name="សុខា ចាន់", preferred_name="Sokha")
    client.force_login(trainer)
    response = client.get(day_url(cohort, timezone.localdate()))
    assert response.status_code == 200
    assert "សុខា ចាន់" in response.text
    assert 'name="status" value="present"' in response.text
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("who", ["anonymous", "other trainer", "participant"])
def test_the_day_view_is_not_found_for_others(client, cohort, who):
    registration = seat(cohort)
    if who == "other trainer":
        client.force_login(UserFactory(groups=[TRAINERS]))
    elif who == "participant":
        client.force_login(registration.user)
    response = client.get(day_url(cohort, timezone.localdate()))
    assert response.status_code == (302 if who == "anonymous" else 404)


def test_a_tap_is_saved_and_answered_in_json(client, trainer, cohort):
    registration = seat(cohort)
    client.force_login(trainer)
    url = reverse("participants:attendance_record", kwargs={"pk": cohort.pk})
    data = {"registration": registration.pk, "date": timezone.localdate().isoformat(), "status": "late"}
    response = client.post(url, data, headers={"accept": "application/json"})
    assert response.json() == {"ok": True, "status": "late", "label": "Late"}
    assert Attendance.objects.get().status == "late"
    data["date"] = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = client.post(url, data, headers={"accept": "application/json"})
    assert response.status_code == 409 and "on that day" in response.json()["error"]


def test_a_tap_without_script_redirects_back_to_the_person(client, trainer, cohort):
    registration = seat(cohort)
    client.force_login(trainer)
    url = reverse("participants:attendance_record", kwargs={"pk": cohort.pk})
    response = client.post(url, {"registration": registration.pk, "date": timezone.localdate().isoformat(),
                                 "status": "present"})  # fmt: skip
    assert response.url == day_url(cohort, timezone.localdate()) + f"#person-{registration.pk}"


def test_a_tap_for_someone_of_another_cohort_is_refused(client, trainer, cohort):
    stranger = seat(CohortFactory())
    client.force_login(trainer)
    url = reverse("participants:attendance_record", kwargs={"pk": cohort.pk})
    data = {"registration": stranger.pk, "date": timezone.localdate().isoformat(), "status": "present"}
    assert client.post(url, data, headers={"accept": "application/json"}).status_code == 404
    assert not Attendance.objects.exists()


def test_scanning_a_badge_checks_in_and_says_so(client, trainer, cohort):
    registration = seat(cohort, preferred_name="Sokha")
    url = reverse("participants:check_in", kwargs={"token": make_check_in_token(registration)})
    assert client.get(url).status_code == 302  # signed out: sign in first, then the same link
    client.force_login(trainer)
    response = client.get(url)
    assert response.status_code == 200 and "Checked in" in response.text and "Sokha" in response.text
    assert Attendance.objects.get(registration=registration).status == "present"
    assert "Already checked in" in client.get(url).text


def test_scanning_as_someone_else_is_refused_without_a_name(client, cohort):
    registration = seat(cohort, preferred_name="Sokha")
    client.force_login(UserFactory(groups=[TRAINERS]))
    response = client.get(reverse("participants:check_in", kwargs={"token": make_check_in_token(registration)}))
    assert response.status_code == 403
    assert "Sokha" not in response.text and cohort.session.title not in response.text


def test_a_photo_is_shown_only_with_consent_and_only_to_the_sessions_trainers(client, trainer, cohort, private_files):
    from django.core.files.base import ContentFile

    registration = seat(cohort)
    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), "navy").save(buffer, "PNG")
    profile = registration.user.profile
    profile.photo.save("face.png", ContentFile(buffer.getvalue()))
    url = reverse("participants:photo", kwargs={"pk": registration.pk})
    client.force_login(trainer)
    assert client.get(url).status_code == 404  # no consent yet
    profile.consent_photo = True
    profile.save()
    assert client.get(url).status_code == 200
    client.force_login(UserFactory(groups=[TRAINERS]))
    assert client.get(url).status_code == 404
    client.force_login(registration.user)
    assert client.get(url).status_code == 200


def test_the_attendance_matrix_exports_to_excel_and_reads_back(client, organiser, cohort):
    first, second = seat(cohort, full_name="Alpha Person"), seat(cohort, full_name="=HYPERLINK(1)")
    start = cohort.session.start_date
    Attendance.objects.create(registration=first, date=start, status="present")
    Attendance.objects.create(registration=first, date=start + datetime.timedelta(1), status="late")
    Attendance.objects.create(registration=second, date=start, status="absent")
    client.force_login(organiser)
    response = client.get(reverse("participants:attendance_export", kwargs={"pk": cohort.pk}))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:6] == ("No.", "Name", "Full name (passport)", "Name in native script", "Organisation", "Sector")
    assert rows[0][-2:] == ("Days attended", "Certificate")
    assert len(rows[0]) == 6 + 5 + 2
    by_name = {row[2]: row for row in rows[1:]}
    assert by_name["Alpha Person"][6:13] == ("Present", "Late", None, None, None, 2, "no")
    assert by_name["'=HYPERLINK(1)"][6] == "Absent"  # a name never becomes a formula
    assert ExportRecord.objects.get().kind == "cohort_attendance"


def test_an_organiser_corrects_and_closes_from_the_matrix_page(client, organiser, cohort):
    registration = seat(cohort)
    client.force_login(organiser)
    url = reverse("participants:attendance", kwargs={"pk": cohort.pk})
    start = cohort.session.start_date.isoformat()
    response = client.post(url, {"registration": registration.pk, "date": start, "status": "present", "reason": ""})
    assert response.status_code == 200 and "This field is required" in response.text
    response = client.post(url, {"registration": registration.pk, "date": start, "status": "present",
                                 "reason": "Paper sheet"})  # fmt: skip
    assert response.status_code == 302
    assert Attendance.objects.get().status == "present"
    response = client.post(reverse("participants:attendance_close", kwargs={"pk": cohort.pk}), {"confirmed": "1"},
                           follow=True)  # fmt: skip
    assert "can be closed after the last day" in response.text


def test_a_trainer_sees_the_matrix_but_cannot_correct(client, trainer, cohort):
    registration = seat(cohort)
    client.force_login(trainer)
    url = reverse("participants:attendance", kwargs={"pk": cohort.pk})
    assert "Correct attendance" not in client.get(url).text
    client.post(url, {"registration": registration.pk, "date": cohort.session.start_date.isoformat(),
                      "status": "present", "reason": "x"})  # fmt: skip
    assert not Attendance.objects.exists()


def test_pages_render_in_arabic_and_french(client, trainer, cohort):
    seat(cohort)
    client.force_login(trainer)
    for language in ("ar", "fr"):
        for name in ("session_today", "attendance", "pack"):
            response = client.get(f"/{language}" + reverse(f"participants:{name}", kwargs={"pk": cohort.pk})[3:],
                                  follow=True)  # fmt: skip
            assert response.status_code == 200, (language, name)
            assert f'lang="{language}"' in response.text


def test_an_empty_day_explains_itself(client, trainer):
    start = timezone.localdate()
    session = make_session("empty", start_date=start, end_date=start + datetime.timedelta(days=4))
    session.trainers.add(trainer)
    session.save()
    cohort = CohortFactory(session=session)
    client.force_login(trainer)
    response = client.get(day_url(cohort, start))
    assert "No confirmed participant yet" in response.text
    assert "No agenda for this day yet" in response.text


def test_the_check_in_time_is_the_venues(client, trainer):
    start = timezone.localdate() - datetime.timedelta(days=1)
    session = make_session("far", start_date=start, end_date=start + datetime.timedelta(days=4),
                           time_zone="Pacific/Kiritimati")  # UTC+14: never the same hour as UTC  # fmt: skip
    session.trainers.add(trainer)
    session.save()
    registration = seat(CohortFactory(session=session))
    client.force_login(trainer)
    response = client.get(reverse("participants:check_in", kwargs={"token": make_check_in_token(registration)}))
    import zoneinfo

    venue_time = Attendance.objects.get().recorded_at.astimezone(zoneinfo.ZoneInfo("Pacific/Kiritimati"))
    assert f"recorded at {venue_time:%H:%M}" in response.text


def test_a_session_far_east_of_utc_opens_on_the_venues_today(client, trainer):
    import zoneinfo

    venue_today = timezone.now().astimezone(zoneinfo.ZoneInfo("Pacific/Kiritimati")).date()
    two_days = datetime.timedelta(days=2)
    session = make_session("east", start_date=venue_today - two_days, end_date=venue_today + two_days,
                           time_zone="Pacific/Kiritimati")  # fmt: skip
    session.trainers.add(trainer)
    session.save()
    cohort = CohortFactory(session=session)
    client.force_login(trainer)
    assert client.get(reverse("participants:session_today", kwargs={"pk": cohort.pk})).url == day_url(
        cohort, venue_today
    )


@pytest.mark.parametrize("date", ["2026-13-45", "yesterday", "2020-01-01"])
def test_a_day_that_is_not_the_sessions_is_not_found(client, trainer, cohort, date):
    client.force_login(trainer)
    url = reverse("participants:session_day", kwargs={"pk": cohort.pk, "date": date})
    assert client.get(url).status_code == 404


def test_the_photo_of_someone_not_seated_is_not_shown(client, trainer, cohort, private_files):
    from django.core.files.base import ContentFile

    registration = seat(cohort, consent_photo=True)
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "teal").save(buffer, "PNG")
    registration.user.profile.photo.save("face.png", ContentFile(buffer.getvalue()))
    Registration.objects.filter(pk=registration.pk).update(status=RegistrationStatus.CANCELLED)
    client.force_login(trainer)
    assert client.get(reverse("participants:photo", kwargs={"pk": registration.pk})).status_code == 404


@pytest.mark.parametrize("name", ["attendance", "attendance_export", "pack", "pack_status", "pack_download",
                                  "session_today"])  # fmt: skip
def test_a_participant_reaches_no_trainer_page(client, cohort, name):
    registration = seat(cohort)
    client.force_login(registration.user)
    assert client.get(reverse(f"participants:{name}", kwargs={"pk": cohort.pk})).status_code == 404


def links_back(response) -> list[str]:
    """The addresses of the breadcrumb's links and of the page's 'back to' links, in order."""
    import re

    text = response.text.split("<h1", 1)[0]
    return re.findall(r'<a(?: class="[^"]*")? href="([^"]+)"', text.split('aria-label="Breadcrumb"', 1)[1])


@pytest.mark.parametrize("name", ["attendance", "pack"])
@pytest.mark.parametrize("who", ["organiser", "trainer", "both"])
def test_the_pack_and_attendance_pages_lead_back_to_where_the_person_came_from(client, trainer, cohort, name, who):
    """An organiser came from the cohort's page, the session's trainer from their day view; both get both."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from courses.permissions import ORGANISERS

    user = trainer
    if who != "trainer":
        user = UserFactory(groups=[ORGANISERS] if who == "organiser" else [ORGANISERS, TRAINERS])
        TOTP.activate(user, generate_totp_secret())
        if who == "both":
            cohort.session.trainers.add(user)
            cohort.session.save()
    client.force_login(user)
    links = links_back(client.get(reverse(f"participants:{name}", kwargs={"pk": cohort.pk})))
    cohort_page = reverse("participants:cohort", kwargs={"pk": cohort.pk})
    day_view = reverse("participants:session_today", kwargs={"pk": cohort.pk})
    expected = {
        "organiser": [reverse("participants:cohorts"), cohort_page],
        "trainer": [reverse("participants:trainer_sessions"), day_view],
        "both": [reverse("participants:cohorts"), cohort_page, day_view],
    }
    assert links == expected[who]


def test_an_organiser_on_the_day_view_is_led_back_to_the_cohort(client, organiser, cohort):
    client.force_login(organiser)
    response = client.get(day_url(cohort, timezone.localdate()))
    assert links_back(response)[:2] == [
        reverse("participants:cohorts"),
        reverse("participants:cohort", kwargs={"pk": cohort.pk}),
    ]


@pytest.fixture
def ended(trainer):
    """A session that ended two days ago."""
    start = timezone.localdate() - datetime.timedelta(days=7)
    session = make_session("ended", start_date=start, end_date=start + datetime.timedelta(days=4))
    session.trainers.add(trainer)
    session.save()
    return CohortFactory(session=session)


def test_closing_the_attendance_says_who_becomes_what_and_acts_only_when_confirmed(client, organiser, ended):
    came, missed = seat(ended), seat(ended)
    Attendance.objects.create(registration=came, date=ended.session.start_date, status="present")
    client.force_login(organiser)
    url = reverse("participants:attendance_close", kwargs={"pk": ended.pk})
    page = client.get(url)
    assert page.status_code == 200
    assert "1 participant came at least one day" in page.text and "1 participant never came" in page.text
    assert "1 of them is emailed now" in page.text and "No attendance has been taken" not in page.text
    client.post(url)  # a POST without the confirmation only asks
    assert set(Registration.objects.values_list("status", flat=True)) == {"confirmed"}
    assert client.post(url, {"confirmed": "1"}).status_code == 302
    assert dict(Registration.objects.values_list("pk", "status")) == {came.pk: "attended", missed.pk: "no_show"}


def test_closing_with_no_attendance_taken_warns_that_everyone_becomes_a_no_show(client, organiser, ended):
    seat(ended)
    client.force_login(organiser)
    url = reverse("participants:attendance_close", kwargs={"pk": ended.pk})
    assert "every participant a no-show" in client.get(url).text
    arabic = client.get(url.replace("/en/", "/ar/")).text
    assert 'dir="rtl"' in arabic and "alert-warning" in arabic and "every participant a no-show" not in arabic
