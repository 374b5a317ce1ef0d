"""Bulk invitations from Excel, with real files written by openpyxl: every failure reported, nothing half-written."""

import io
import zipfile

import pytest
from django.core.management import call_command
from openpyxl import Workbook, load_workbook

from participants.imports import MAX_ROWS, SheetError, import_rows, read_sheet, rejected_workbook, template_workbook
from participants.models import Invitation
from participants.services import invite_person
from tests.factories import CohortFactory, UserFactory

pytestmark = pytest.mark.django_db
HEADER = ["email", "full_name", "sector", "country", "language"]


def sheet(*rows, header=HEADER) -> bytes:
    workbook = Workbook()
    workbook.active.append(header)
    for row in rows:
        workbook.active.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


GOOD = [("a@example.org", "Somchai Srisuk", "government", "TH", "en"),
        ("b@example.org", "سمير الخطيب", "ngo", "Jordan", "ar")]  # fmt: skip
BAD = [
    ("", "No Email", "government", "TH", "en"),
    ("not-an-email", "X", "government", "TH", "en"),
    ("a@example.org", "Twice", "government", "TH", "en"),
    ("c@example.org", "Y", "police", "TH", "en"),
    ("d@example.org", "Z", "government", "Atlantis", "en"),
    ("e@example.org", '=HYPERLINK("http://evil")', "government", "TH", "en"),
    ("f@example.org", "W", "government", "TH", "de"),
    ("invited@example.org", "Already", "government", "TH", "en"),
]


@pytest.fixture
def cohort():
    cohort = CohortFactory()
    invite_person(cohort=cohort, email="invited@example.org", intended_sector="government", invited_by=None)
    return cohort


def test_every_rejected_row_has_its_number_and_reason(cohort):
    preview = read_sheet(sheet(*GOOD, *BAD), cohort=cohort)
    assert [row.number for row in preview.valid_rows] == [2, 3]
    reasons = {row.number: "; ".join(row.errors) for row in preview.rejected_rows}
    assert reasons == {
        4: "the email is missing",
        5: "“not-an-email” is not a valid email address",
        6: "the same email is on row 2",
        7: "unknown sector “police” (use government, civil_society or other)",
        8: "unknown country “Atlantis”",
        9: "contains a formula; type the values instead",
        10: "unknown language “de” (use en, ar or fr)",
        11: "already invited to this session",
    }


def test_valid_rows_are_imported_and_the_rejected_come_back_as_a_sheet(cohort, django_capture_on_commit_callbacks,
                                                                        mailoutbox):  # fmt: skip
    preview = read_sheet(sheet(*GOOD, *BAD), cohort=cohort)
    with django_capture_on_commit_callbacks(execute=True):
        assert import_rows(cohort=cohort, preview=preview, invited_by=UserFactory(), strict=False) == 2
    invitation = Invitation.objects.get(email="b@example.org")
    assert (invitation.intended_sector, invitation.country, invitation.language) == ("civil_society", "JO", "ar")
    assert len(mailoutbox) == 2
    rows = list(
        load_workbook(io.BytesIO(rejected_workbook(preview)), read_only=True).active.iter_rows(values_only=True)
    )
    assert rows[0][:2] == ("row", "reason") and len(rows) == 1 + len(BAD)
    formula_row = next(row for row in rows if row[0] == 9)
    assert formula_row[3] == '\'=HYPERLINK("http://evil")'  # never a live formula in the returned sheet


def test_strict_mode_imports_nothing_when_one_row_is_wrong(cohort):
    preview = read_sheet(sheet(*GOOD, BAD[0]), cohort=cohort)
    assert import_rows(cohort=cohort, preview=preview, invited_by=None, strict=True) == 0
    assert Invitation.objects.count() == 1  # only the one invited before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"email,sector\na@example.org,government\n", "not an Excel .xlsx file"),
        (b"PK\x03\x04 this is not really a zip", "not an Excel .xlsx file"),
        (sheet(header=["name", "phone"]), "missing: email, sector"),
    ],
)
def test_unusable_files_are_refused_with_a_clear_message(cohort, data, message):
    with pytest.raises(SheetError, match=message):
        read_sheet(data, cohort=cohort)


def test_a_corrupt_xlsx_is_refused(cohort):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<broken")
    with pytest.raises(SheetError, match="could not be read"):
        read_sheet(buffer.getvalue(), cohort=cohort)


def test_a_zip_bomb_posing_as_a_sheet_is_refused_without_unpacking(cohort):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            for _ in range(60):
                member.write(b"0" * (1024 * 1024))  # 60 MB of nothing, a few kB compressed
    assert len(buffer.getvalue()) < 5 * 1024 * 1024
    with pytest.raises(SheetError, match="far more data"):
        read_sheet(buffer.getvalue(), cohort=cohort)


def test_more_than_2000_rows_are_refused(cohort):
    rows = [(f"p{n}@example.org", "", "government", "TH", "en") for n in range(MAX_ROWS + 1)]
    with pytest.raises(SheetError, match="more than 2000 rows"):
        read_sheet(sheet(*rows), cohort=cohort)


def test_the_template_reads_back_as_valid_rows(cohort):
    preview = read_sheet(template_workbook(), cohort=cohort)
    assert len(preview.valid_rows) == 2 and not preview.rejected_rows


def test_the_command_reports_each_row_and_fails_unless_all_imported(cohort, tmp_path, capsys):
    path = tmp_path / "people.xlsx"
    path.write_bytes(sheet(*GOOD, BAD[1]))
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_invitations", str(path), cohort=cohort.pk, strict=True)
    assert exit_info.value.code == 1
    output = capsys.readouterr().out
    assert "row 4: rejected: “not-an-email” is not a valid email address" in output
    assert "0 of 3 rows imported, 1 rejected." in output
    path.write_bytes(sheet(*GOOD))
    call_command("import_invitations", str(path), cohort=cohort.pk)
    assert "2 of 2 rows imported, 0 rejected." in capsys.readouterr().out


def upload(client, cohort, data: bytes, strict: bool = False):
    from django.core.files.uploadedfile import SimpleUploadedFile

    file = SimpleUploadedFile("people.xlsx", data, content_type="application/octet-stream")
    data = {"sheet": file, **({"strict": "1"} if strict else {})}
    return client.post(f"/en/organise/cohorts/{cohort.pk}/import/", data)


def test_an_organiser_previews_then_imports_the_valid_rows(client, cohort, organiser):
    client.force_login(organiser)
    assert upload(client, cohort, sheet(*GOOD, *BAD)).status_code == 302
    page = client.get(f"/en/organise/cohorts/{cohort.pk}/import/").content.decode()
    assert "2 valid rows, 8 rejected." in page
    assert "unknown country “Atlantis”" in page
    rejected = client.get(f"/en/organise/cohorts/{cohort.pk}/import/?rejected=1")
    assert len(list(load_workbook(io.BytesIO(rejected.content), read_only=True).active.iter_rows())) == 1 + len(BAD)
    assert Invitation.objects.count() == 1  # nothing written by the preview
    client.post(f"/en/organise/cohorts/{cohort.pk}/import/", {"confirm": "1"})
    assert set(Invitation.objects.values_list("email", flat=True)) == {"invited@example.org", "a@example.org",
                                                                      "b@example.org"}  # fmt: skip


def test_a_strict_upload_with_a_bad_row_offers_no_import(client, cohort, organiser):
    client.force_login(organiser)
    upload(client, cohort, sheet(*GOOD, BAD[0]), strict=True)
    page = client.get(f"/en/organise/cohorts/{cohort.pk}/import/").content.decode()
    assert "fix the rejected rows and upload the sheet again" in page
    client.post(f"/en/organise/cohorts/{cohort.pk}/import/", {"confirm": "1"})
    assert Invitation.objects.count() == 1


def test_a_wrong_file_is_explained_next_to_the_upload_field(client, cohort, organiser):
    client.force_login(organiser)
    response = upload(client, cohort, b"name;email\nx;y\n")
    assert response.status_code == 400
    assert "This is not an Excel .xlsx file" in response.content.decode()


def _lying_bomb() -> bytes:
    """A real workbook whose sheet unpacks to 200 MB while its headers claim 1,000 bytes."""
    import struct

    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["email", "sector"])
    workbook.active.append(["a@example.org", "government"])
    original = io.BytesIO()
    workbook.save(original)
    source = zipfile.ZipFile(io.BytesIO(original.getvalue()))
    bomb = io.BytesIO()
    sheet = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == sheet:
                data = data.replace(b"</sheetData>", b" " * (200 * 1024 * 1024) + b"</sheetData>")
            archive.writestr(info.filename, data)
    raw = bytearray(bomb.getvalue())
    for signature, name_length_at, name_at, size_at in ((b"PK\x03\x04", 26, 30, 22), (b"PK\x01\x02", 28, 46, 24)):
        start = raw.find(signature)
        while start >= 0:
            length = struct.unpack("<H", raw[start + name_length_at : start + name_length_at + 2])[0]
            if raw[start + name_at : start + name_at + length] == sheet.encode():
                raw[start + size_at : start + size_at + 4] = struct.pack("<I", 1000)
            start = raw.find(signature, start + 4)
    return bytes(raw)


def test_a_zip_bomb_that_lies_about_its_size_is_refused_without_exhausting_memory(cohort):
    import tracemalloc

    data = _lying_bomb()
    assert len(data) < 1024 * 1024
    tracemalloc.start()
    try:
        with pytest.raises(SheetError, match="could not be read"):
            read_sheet(data, cohort=cohort)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 50 * 1024 * 1024


def test_a_sheet_found_damaged_while_its_rows_are_read_is_refused_with_a_reason(cohort):
    """openpyxl opens a sheet whose checksum is wrong and fails only when it reaches the end of its rows."""
    import struct

    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["email", "sector"])
    for n in range(1500):
        workbook.active.append([f"person{n}@example.org", "government"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    raw = bytearray(buffer.getvalue())
    sheet = b"xl/worksheets/sheet1.xml"
    for signature, name_length_at, name_at, crc_at in ((b"PK\x03\x04", 26, 30, 14), (b"PK\x01\x02", 28, 46, 16)):
        start = raw.find(signature)
        while start >= 0:
            length = struct.unpack("<H", raw[start + name_length_at : start + name_length_at + 2])[0]
            if raw[start + name_at : start + name_at + length] == sheet:
                raw[start + crc_at : start + crc_at + 4] = b"\0\0\0\0"
            start = raw.find(signature, start + 4)
    with pytest.raises(SheetError, match="could not be read"):
        read_sheet(bytes(raw), cohort=cohort)
