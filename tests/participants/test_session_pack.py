"""The session pack as a background job: queued once, progress recorded, the ZIP kept until something changes."""

import datetime
import io
import time
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from courses.permissions import TRAINERS
from participants import services
from participants.models import Attendance, Registration, RegistrationStatus, SessionPack
from tests.factories import CohortFactory, UserFactory, make_session, person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_files(private_files):
    return private_files


@pytest.fixture
def cohort(trainer):
    start = timezone.localdate() - datetime.timedelta(days=10)
    session = make_session("pack", start_date=start, end_date=start + datetime.timedelta(days=4), venue="Dead Sea")
    session.trainers.add(trainer)
    session.save()
    cohort = CohortFactory(session=session, certificate_days=4, certificate_signatories="Leila Haddad, Director")
    for number in range(9):
        user = person("government" if number % 2 else "civil_society", "LA")
        user.profile.full_name = f"Participant {number}"
        user.profile.native_name = "ສົມພອນ ແກ້ວ" if number == 0 else ""
        user.profile.save()
        registration = Registration.objects.create(
            cohort=cohort, user=user, sector="government", country="LA", status=RegistrationStatus.CONFIRMED
        )
        days = 5 if number < 3 else 2  # three earn the certificate
        for day in range(days):
            Attendance.objects.create(registration=registration, date=start + datetime.timedelta(days=day),
                                      status="present")  # fmt: skip
    return cohort


def test_the_pack_is_built_in_the_background_with_its_progress(client, trainer, cohort,
                                                               django_capture_on_commit_callbacks):  # fmt: skip
    client.force_login(trainer)
    url = reverse("participants:pack", kwargs={"pk": cohort.pk})
    assert "Prepare the session pack" in client.get(url).text
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(url)
    assert len(callbacks) == 1  # one job queued
    pack = SessionPack.objects.get(cohort=cohort)
    assert pack.status == SessionPack.Status.READY
    assert pack.done == pack.total == 9 + 5 + 3  # badges, a sheet per day, certificates
    status = client.get(reverse("participants:pack_status", kwargs={"pk": cohort.pk})).json()
    assert (status["status"], status["percent"]) == ("ready", 100)
    assert "Download the session pack" in client.get(url).text

    response = client.get(reverse("participants:pack_download", kwargs={"pk": cohort.pk}))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert sorted(archive.namelist()) == ["badges.pdf", "certificates.pdf", "sign-in-sheets.pdf"]
    certificates = PdfReader(io.BytesIO(archive.read("certificates.pdf")))
    assert len(certificates.pages) == 3
    text = "".join(page.extract_text() for page in certificates.pages)
    assert "Participant 0" in text and "Participant 5" not in text and "Leila Haddad" in text
    assert len(PdfReader(io.BytesIO(archive.read("badges.pdf"))).pages) == 2  # 8 badges a sheet


def test_asking_again_for_an_unchanged_pack_queues_nothing(client, trainer, cohort,
                                                           django_capture_on_commit_callbacks):  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        services.request_pack(cohort=cohort, by=trainer, language="en")
    first = SessionPack.objects.get().file.name
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.request_pack(cohort=cohort, by=trainer, language="en")
    assert callbacks == []
    assert SessionPack.objects.get().file.name == first


def change_attendance(cohort):
    """Participant 5 (2 days of 5) is found on the paper sheets for days 3 and 4: now certified."""
    registration = Registration.objects.get(cohort=cohort, user__profile__full_name="Participant 5")
    for day in (2, 3):
        Attendance.objects.create(registration=registration, status="present",
                                  date=cohort.session.start_date + datetime.timedelta(days=day))  # fmt: skip


def rename_organisation(cohort):
    organisation = Registration.objects.filter(cohort=cohort).first().user.profile.organisation
    organisation.name = "Ministry of Labour and Vocational Training"
    organisation.save()


def retitle_programme(cohort):
    programme = cohort.session.get_parent().specific
    programme.title = "Protecting migrant workers' rights (2027)"
    programme.save()


def change_signatories(cohort):
    cohort.certificate_signatories = "Leila Haddad, Director\nSomchai Wongsa, Partner"
    cohort.save()


@pytest.mark.parametrize("change", [change_attendance, rename_organisation, retitle_programme, change_signatories])
def test_a_change_to_what_is_printed_makes_the_pack_out_of_date(client, trainer, cohort, change,
                                                                django_capture_on_commit_callbacks):  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        services.request_pack(cohort=cohort, by=trainer, language="en")
    client.force_login(trainer)
    url = reverse("participants:pack", kwargs={"pk": cohort.pk})
    assert "Download the session pack" in client.get(url).text
    old = SessionPack.objects.get().file
    change(cohort)
    response = client.get(url)
    assert "changed since the last pack" in response.text
    assert "Download the session pack" not in response.text
    assert not old.storage.exists(old.name)  # personal data nobody should print any more is gone at once
    with django_capture_on_commit_callbacks(execute=True):
        services.request_pack(cohort=cohort, by=trainer, language="en")
    assert "Download the session pack" in client.get(url).text


def test_a_change_that_prints_nothing_keeps_the_pack(client, trainer, cohort, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.request_pack(cohort=cohort, by=trainer, language="en")
    time.sleep(1.1)  # signed links made a second later must not look like a change
    Attendance.objects.filter(registration__cohort=cohort).first().save()  # saved again, unchanged
    client.force_login(trainer)
    assert "Download the session pack" in client.get(reverse("participants:pack", kwargs={"pk": cohort.pk})).text


def test_a_trainer_on_a_page_in_another_language_may_prepare_the_pack_in_it(
    client, trainer, cohort, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.request_pack(cohort=cohort, by=trainer, language="en")
    client.force_login(trainer)
    response = client.get(f"/fr/trainer/cohorts/{cohort.pk}/pack/")
    assert response.status_code == 200
    assert "Ce dossier est imprimé en anglais." in response.text
    assert "Le préparer dans la langue de cette page" in response.text


def test_a_pack_in_arabic_has_its_certificates_in_arabic(trainer, cohort, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.request_pack(cohort=cohort, by=trainer, language="ar")
    pack = SessionPack.objects.get()
    assert pack.status == "ready" and pack.language == "ar"
    with pack.file.open("rb") as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
    fonts = archive.read("certificates.pdf")
    assert b"NotoNaskhArabic" in fonts


def test_the_pack_is_only_for_the_sessions_trainers_and_organisers(client, cohort):
    client.force_login(UserFactory(groups=[TRAINERS]))
    for name in ("pack", "pack_status", "pack_download"):
        assert client.get(reverse(f"participants:{name}", kwargs={"pk": cohort.pk})).status_code == 404


def test_an_alumnus_downloads_their_certificate_only_once_earned(client, trainer, cohort):
    services.close_attendance(cohort=cohort)
    earned = Registration.objects.get(cohort=cohort, user__profile__full_name="Participant 1")
    short = Registration.objects.get(cohort=cohort, user__profile__full_name="Participant 5")
    assert (earned.status, short.status) == ("attended", "attended")
    client.force_login(earned.user)
    page = client.get(reverse("participants:registration", kwargs={"pk": earned.pk}))
    assert "Certificate of completion (PDF)" in page.text
    response = client.get(reverse("participants:certificate", kwargs={"pk": earned.pk}))
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Participant 1" in text
    assert client.get(reverse("participants:certificate", kwargs={"pk": short.pk})).status_code == 404  # not theirs
    client.force_login(short.user)
    assert "Certificate of completion" not in client.get(reverse("participants:registration",
                                                                 kwargs={"pk": short.pk})).text  # fmt: skip
    response = client.get(reverse("participants:certificate", kwargs={"pk": short.pk}))
    assert response.status_code == 302
