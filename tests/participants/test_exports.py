"""Excel export of a cohort: written, read back, formulas neutralised, every export logged."""

import io

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from openpyxl import load_workbook

from courses.permissions import ORGANISERS, PARTNER_EDITORS
from participants.exports import neutralise
from participants.models import ExportRecord
from participants.services import register
from tests.factories import CohortFactory, UserFactory, person

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", ['=HYPERLINK("http://x")', "+1+2", "-2+3", "@SUM(A1)", "\t=1"])
def test_cells_that_would_run_as_formulas_are_written_as_text(value):
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["Ahmad", "سمير", "Nguyễn Thị Lan", 42, None, "a=b"])
def test_other_values_are_left_alone(value):
    assert neutralise(value) == value


def test_an_organiser_exports_the_cohort_and_the_export_is_logged(client):
    cohort = CohortFactory(capacity=30)
    hostile = person("government", "JO")
    hostile.profile.full_name = "=cmd|' /C calc'!A0"
    hostile.profile.native_name = "سمير الخطيب"
    hostile.profile.save()
    register(cohort=cohort, user=hostile, logistics={"dietary": "@vegetarian"})
    register(cohort=cohort, user=person("civil_society", "KH"))
    organiser = UserFactory(groups=[ORGANISERS])
    TOTP.activate(organiser, generate_totp_secret())
    client.force_login(organiser)

    response = client.get(f"/fr/organise/cohorts/{cohort.pk}/participants.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("Nom", "Nom complet (passeport)")  # headers in the organiser's language
    assert len(rows) == 3
    first = next(row for row in rows[1:] if row[2] == "سمير الخطيب")
    assert first[:2] == ("'=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0")
    assert "'@vegetarian" in first
    record = ExportRecord.objects.get()
    assert (record.user, record.cohort, record.rows, record.via) == (organiser, cohort, 2, "web")


def test_partner_editors_cannot_export(client):
    cohort = CohortFactory()
    client.force_login(UserFactory(groups=[PARTNER_EDITORS]))
    assert client.get(f"/en/organise/cohorts/{cohort.pk}/participants.xlsx").status_code == 403
    assert not ExportRecord.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_export_command_writes_the_file_and_logs_it(tmp_path):
    from django.core.management import call_command

    cohort = CohortFactory(capacity=30)
    register(cohort=cohort, user=person("government"))
    output = tmp_path / "cohort.xlsx"
    call_command("export_cohort", cohort=cohort.pk, output=str(output))
    rows = list(load_workbook(output, read_only=True).active.iter_rows(values_only=True))
    assert rows[0][:2] == ("Name", "Full name (passport)") and len(rows) == 2
    assert ExportRecord.objects.get().via == "command"


def test_the_export_command_explains_a_missing_cohort(tmp_path):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="no cohort with id 999999"):
        call_command("export_cohort", cohort=999999, output=str(tmp_path / "x.xlsx"))
