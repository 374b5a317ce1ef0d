"""Random and hostile input (hypothesis) into the Excel import and the registration form: every input gets a clear
error or a correct result, never a 500 and never a half-written import."""

import datetime
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from attache.middleware import CONTROL_IN_TEXT
from participants.imports import SheetError, import_rows, read_sheet
from participants.models import Invitation
from participants.tokens import make_token
from tests.factories import CohortFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
# Text as people (and attackers) type it: any script, control characters, bidi marks, formulas, markup.
HOSTILE = st.one_of(
    st.text(max_size=80),
    st.sampled_from(["=HYPERLINK(\"http://evil\")", "+1+1", "@SUM(A1)", "<script>alert(1)</script>", "\u202egnp.exe",
                     "'; DROP TABLE participants_invitation; --", "ءاب@مثال.السعودية", "x" * 5000, "\x00", "  "]),
)  # fmt: skip
DATES = st.datetimes(min_value=datetime.datetime(1900, 3, 1), max_value=datetime.datetime(2100, 1, 1))
CELL = st.one_of(st.none(), HOSTILE, st.integers(), st.floats(allow_nan=True), st.booleans(), DATES)


def _xlsx(rows) -> bytes:
    workbook = Workbook()
    workbook.active.append(["email", "full_name", "sector", "country", "language"])
    for row in rows:
        workbook.active.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def cohort():
    return CohortFactory(capacity=30)


@FUZZ
@given(data=st.binary(max_size=2048))
def test_any_bytes_are_read_or_refused_with_a_reason(cohort, data):
    try:
        read_sheet(data, cohort=cohort)
    except SheetError as error:
        assert str(error)


@FUZZ
@given(flips=st.lists(st.tuples(st.integers(min_value=0), st.integers(min_value=0, max_value=255)), max_size=20))
def test_a_damaged_sheet_is_read_or_refused_with_a_reason(cohort, flips):
    data = bytearray(_xlsx([["a@example.org", "A", "government", "TH", "en"]] * 3))
    for position, value in flips:
        data[position % len(data)] = value
    try:
        read_sheet(bytes(data), cohort=cohort)
    except SheetError as error:
        assert str(error)


@FUZZ
@given(rows=st.lists(st.lists(CELL, min_size=0, max_size=7), max_size=12), strict=st.booleans())
def test_every_row_is_imported_or_rejected_with_its_number_and_nothing_is_half_written(cohort, rows, strict):
    Invitation.objects.filter(cohort=cohort).delete()
    preview = read_sheet(_xlsx(rows), cohort=cohort)
    for row in preview.rows:
        assert row.number >= 2
        assert row.errors or row.values.get("email")  # a valid row has an address; an invalid one says why
    valid = [row for row in preview.rows if not row.errors]
    written = import_rows(cohort=cohort, preview=preview, invited_by=None, strict=strict)
    expected = 0 if strict and len(valid) != len(preview.rows) else len(valid)
    assert written == expected == Invitation.objects.filter(cohort=cohort).count()


def _new_invitee(client, cohort) -> str:
    """A fresh invitation and its invitee, signed in: each example starts from an open invitation."""
    import uuid

    from participants.services import invite_person

    email = f"fuzz-{uuid.uuid4().hex[:12]}@example.org"
    invitation = invite_person(cohort=cohort, email=email, intended_sector="government", invited_by=UserFactory())
    client.force_login(UserFactory(email=email))
    return f"/en/invitations/{make_token(invitation)}/"


FORM_FIELDS = ["profile-full_name", "profile-native_name", "profile-preferred_name", "profile-gender",
               "profile-gender_self_described", "profile-organisation", "profile-position", "profile-nationality",
               "profile-country_of_posting", "profile-languages", "profile-phone", "profile-messaging",
               "logistics-travelling_from", "logistics-dietary", "logistics-accessibility",
               "logistics-needs_visa_letter"]  # fmt: skip


@FUZZ
@given(values=st.dictionaries(st.sampled_from(FORM_FIELDS), HOSTILE, max_size=len(FORM_FIELDS)),
       valid_organisation=st.booleans())  # fmt: skip
def test_the_registration_form_answers_any_input_without_an_error_page(client, cohort, values, valid_organisation):
    path = _new_invitee(client, cohort)
    data = {key: value.replace("\x00", "") if key == "profile-organisation" else value for key, value in values.items()}
    if valid_organisation:
        data.update({"profile-organisation": str(OrganisationFactory().pk), "profile-nationality": "TH",
                     "profile-full_name": data.get("profile-full_name") or "Fuzz"})  # fmt: skip
    if any(CONTROL_IN_TEXT.search(value) for value in data.values()):
        # Refused before any form sees it (attache.middleware); the form then gets the text without them.
        assert client.post(path, data).status_code == 400
        data = {key: CONTROL_IN_TEXT.sub("", value) for key, value in data.items()}
    response = client.post(path, data)
    # 302: registered (or the cohort is full: 409); 200: the form again, with what to correct.
    assert response.status_code in (200, 302, 409), response.status_code
    if response.status_code == 200 and data:
        html = response.content.decode()
        assert "is-invalid" in html or "invalid-feedback" in html or "alert-danger" in html, html[html.find("<main") :][
            :3000
        ]
