"""The Excel export of a call's applications and scores (read back with openpyxl), and what the personal-data
download and the erasure do with applications, nominations and reviews."""

import datetime
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from courses.models import SessionPage
from courses.permissions import REVIEWERS
from participants.exports import export_call_applications
from participants.models import (
    Answer,
    Application,
    Call,
    CallQuestion,
    Criterion,
    ExportRecord,
    Nomination,
    NominationLink,
    Review,
    Score,
)
from participants.selection_selectors import application_scores
from tests.factories import CohortFactory, UserFactory, person

pytestmark = pytest.mark.django_db

URL = "/en/organise/calls/{pk}/applications.xlsx"
SUBMITTED = datetime.datetime(2027, 3, 1, 7, 30, tzinfo=datetime.UTC)  # 14:30 in Bangkok


@pytest.fixture
def call(db):
    now = timezone.now()
    cohort = CohortFactory()
    SessionPage.objects.filter(pk=cohort.session_id).update(time_zone="Asia/Bangkok")
    cohort.session.refresh_from_db()
    call = Call.objects.create(cohort=cohort, opens_at=now - datetime.timedelta(days=1),
                               deadline=now + datetime.timedelta(days=10), published=True,
                               eligibility_en="Officials and NGO staff.")  # fmt: skip
    CallQuestion.objects.create(call=call, kind="text", label_en="Why?", label_fr="Pourquoi ?", order=1)
    CallQuestion.objects.create(call=call, kind="choice", label_en="Sector", label_fr="Secteur", order=2,
                                choices_en="Government\nCivil society",
                                choices_fr="Gouvernement\nSociété civile")  # fmt: skip
    CallQuestion.objects.create(call=call, kind="number", label_en="Years", required=False, order=3)
    CallQuestion.objects.create(call=call, kind="file", label_en="CV", order=4)
    Criterion.objects.create(call=call, label_en="Relevance", weight=3, order=1)
    Criterion.objects.create(call=call, label_en="Experience", weight=1, order=2)
    return call


def applicant(call, name, *, status="submitted", why="I assist migrant workers.", sector="civil_society", **user):
    user = person(sector, "TH", **user)
    user.profile.full_name = name
    user.profile.gender = "woman"
    user.profile.save()
    application = Application.objects.create(call=call, user=user, status=status,
                                             submitted_at=SUBMITTED if status != "draft" else None)  # fmt: skip
    questions = {question.kind: question for question in call.questions.all()}
    Answer.objects.create(application=application, question=questions["text"], text=why)
    Answer.objects.create(application=application, question=questions["choice"], text="2")
    Answer.objects.create(application=application, question=questions["number"], number=7)
    Answer.objects.create(application=application, question=questions["file"], file="applications/x/abc.pdf",
                          file_name="cv.pdf")  # fmt: skip
    return application


def review(application, reviewer, marks=None, *, comment="", conflict=False):
    rev = Review.objects.create(application=application, reviewer=reviewer, comment=comment, conflict=conflict,
                                submitted_at=timezone.now())  # fmt: skip
    for criterion, value in zip(application.call.criteria.all(), marks or [], strict=False):
        Score.objects.create(review=rev, criterion=criterion, value=value)
    return rev


def reviewer_named(name):
    user = person("other", "FR", groups=[REVIEWERS])
    user.profile.full_name = name
    user.profile.save()
    return user


@pytest.fixture
def scored(call):
    """Three applicants (one a draft), one nominated, two reviewers who disagree and one in conflict."""
    zeynep = applicant(call, "Zeynep Kaya", why='=HYPERLINK("http://evil.example","click")')
    amal = applicant(call, "amal Haddad")
    emile = applicant(call, "Émile Martin", status="draft")
    link = NominationLink.objects.create(call=call, organisation_name="Ministry of Labour", focal_point_name="Focal",
                                         focal_point_email="focal@example.org", nonce="n")  # fmt: skip
    Nomination.objects.create(link=link, call=call, full_name="Amal Haddad", email=amal.user.email,
                              position="Inspector", application=amal)  # fmt: skip
    bea, carl, dan = reviewer_named("Béa Reviewer"), reviewer_named("Carl Reviewer"), reviewer_named("Dan Reviewer")
    review(amal, bea, [5, 1], comment="=1+1 strong case")  # (5×3 + 1×1) / 4 = 4.0
    review(amal, carl, [2, 2], comment="Thin.")  # 2.0: the spread is 2.0, they disagree
    review(amal, dan, conflict=True)  # not in the score
    review(zeynep, bea, [4, 2], comment="Good.")  # (12 + 2) / 4 = 3.5
    return {"zeynep": zeynep, "amal": amal, "emile": emile, "bea": bea, "carl": carl, "dan": dan, "link": link}


def read(content) -> dict[str, list[tuple]]:
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in workbook.worksheets}


# --- The export ---


def test_the_export_reads_back_sorted_by_name_with_answers_scores_and_formulas_as_text(client, organiser, scored):
    call = scored["amal"].call
    client.force_login(organiser)
    response = client.get(URL.format(pk=call.pk))
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    sheets = read(response.content)
    assert list(sheets) == ["Applications", "Scores"]
    header, *rows = sheets["Applications"]
    column = {title: index for index, title in enumerate(header)}
    assert header[:11] == (
        "Application no.",
        "Name",
        "Full name (passport)",
        "Email",
        "Organisation",
        "Sector",
        "Nationality",
        "Gender",
        "Status",
        "Submitted at (Asia/Bangkok)",
        "Nominated by",
    )
    assert header[11:15] == ("Why?", "Sector", "Years", "CV")
    assert header[15:] == ("Score", "Reviews", "Spread", "Reviewers disagree")
    # Sorted by the printed name, whatever the case and accents; the draft is there with its status.
    assert [row[column["Name"]] for row in rows] == ["amal Haddad", "Émile Martin", "Zeynep Kaya"]
    amal, emile, zeynep = rows
    assert amal[0] == scored["amal"].pk and amal[column["Email"]] == scored["amal"].user.email
    assert amal[column["Sector"]] == "Civil society" and amal[column["Nationality"]] == "Thailand"
    assert amal[column["Gender"]] == "Woman" and amal[column["Status"]] == "Submitted"
    assert amal[column["Submitted at (Asia/Bangkok)"]] == datetime.datetime(2027, 3, 1, 14, 30)
    assert amal[column["Nominated by"]] == "Ministry of Labour" and zeynep[column["Nominated by"]] in ("", None)
    assert amal[12] == "Civil society" and amal[13] == 7 and amal[14] == "file: cv.pdf"
    assert zeynep[11] == '\'=HYPERLINK("http://evil.example","click")'  # a formula typed in is text
    assert emile[column["Status"]] == "Draft, not sent" and emile[column["Submitted at (Asia/Bangkok)"]] is None
    # Scores against hand-computed weights: (5×3 + 1×1) / 4 = 4.0 and (2×3 + 2×1) / 4 = 2.0.
    assert amal[column["Score"]] == pytest.approx(3.0) and amal[column["Reviews"]] == 2
    assert amal[column["Spread"]] == pytest.approx(2.0) and amal[column["Reviewers disagree"]] == "yes"
    assert zeynep[column["Score"]] == pytest.approx(3.5) and zeynep[column["Reviews"]] == 1
    assert zeynep[column["Spread"]] is None and zeynep[column["Reviewers disagree"]] == "no"
    assert emile[column["Score"]] is None and emile[column["Reviews"]] == 0

    header, *rows = sheets["Scores"]
    assert header == (
        "Application no.",
        "Name",
        "Reviewer",
        "Relevance (weight 3)",
        "Experience (weight 1)",
        "Weighted score",
        "Conflict of interest",
        "Scored at (Asia/Bangkok)",
        "Comment",
    )
    assert [(row[1], row[2]) for row in rows] == [
        ("amal Haddad", "Béa Reviewer"), ("amal Haddad", "Carl Reviewer"), ("amal Haddad", "Dan Reviewer"),
        ("Zeynep Kaya", "Béa Reviewer"),
    ]  # fmt: skip
    bea, carl, dan, on_zeynep = rows
    assert bea[3:7] == (5, 1, pytest.approx(4.0), "no") and bea[8] == "'=1+1 strong case"
    assert carl[3:7] == (2, 2, pytest.approx(2.0), "no") and carl[8] == "Thin."
    assert dan[3:7] == (None, None, None, "yes")
    assert on_zeynep[0] == scored["zeynep"].pk and on_zeynep[5] == pytest.approx(3.5)


def test_the_export_is_logged_and_shows_on_the_audit_trail(client, organiser, scored):
    call = scored["amal"].call
    client.force_login(organiser)
    client.get(URL.format(pk=call.pk))
    record = ExportRecord.objects.get()
    assert (record.kind, record.rows, record.user, record.cohort) == ("call_applications", 3, organiser, call.cohort)
    trail = client.get("/en/organise/audit/?kind=exports").content.decode()
    assert "Applications to a call and their scores (3 rows)" in trail


def test_the_applications_page_links_to_the_export(client, organiser, scored):
    client.force_login(organiser)
    page = client.get(f"/en/organise/calls/{scored['amal'].call_id}/applications/").content.decode()
    assert URL.format(pk=scored["amal"].call_id) in page


def test_choices_and_questions_in_the_export_language(scored):
    buffer = io.BytesIO()
    export_call_applications(call=scored["amal"].call, destination=buffer, language="fr")
    sheets = read(buffer.getvalue())
    header, amal, *_rest = sheets[list(sheets)[0]]
    assert header[11:13] == ("Pourquoi ?", "Secteur")
    assert amal[12] == "Société civile"


def test_nobody_but_organisers_gets_the_export(client, scored):
    url = URL.format(pk=scored["amal"].call_id)
    assert "/accounts/login/" in client.get(url)["Location"]
    for user in (scored["bea"], scored["amal"].user, UserFactory()):
        client.force_login(user)
        assert client.get(url).status_code == 403
    assert not ExportRecord.objects.exists()


def test_the_number_of_queries_does_not_grow_with_the_applications(call, scored):
    def count():
        with CaptureQueriesContext(connection) as queries:
            export_call_applications(call=call, destination=io.BytesIO())
        return len(queries)

    few = count()
    for number in range(12):
        application = applicant(call, f"Person {number}")
        review(application, scored["bea"], [3, 4], comment="ok")
        review(application, scored["carl"], [2, 5])
    assert count() == few


# --- Personal data ---


def test_the_applicant_downloads_their_applications_nominations_and_the_scores_without_reviewers(client, scored):
    amal = scored["amal"]
    client.force_login(amal.user)
    data = json.loads(client.get("/en/my-data/attache-my-data.json").content)
    (application,) = data["applications"]
    assert application["application"] == amal.pk and application["status"] == "submitted"
    assert application["submitted_at"] == SUBMITTED.isoformat()
    assert application["answers"] == {"Why?": "I assist migrant workers.", "Sector": "Civil society", "Years": 7,
                                      "CV": "file: cv.pdf"}  # fmt: skip
    (nomination,) = data["nominations"]
    assert nomination["link__organisation_name"] == "Ministry of Labour" and nomination["position"] == "Inspector"
    assert nomination["created_at"]
    assert sorted((row["review"], row["criterion"], row["score"]) for row in data["scores_received"]) == [
        (1, "Experience", 1), (1, "Relevance", 5), (2, "Experience", 2), (2, "Relevance", 2),
    ]  # fmt: skip
    text = json.dumps(data, ensure_ascii=False)
    for reviewer in ("bea", "carl", "dan"):  # neither who reviewed them nor what they wrote
        assert scored[reviewer].email not in text and scored[reviewer].profile.full_name not in text
    assert "strong case" not in text and "Thin." not in text
    assert "Focal" not in text and "focal@example.org" not in text
    assert data["reviews_written"] == []
    workbook = load_workbook(io.BytesIO(client.get("/en/my-data/attache-my-data.xlsx").content), read_only=True)
    assert {"applications", "nominations", "scores_received", "reviews_written"} <= set(workbook.sheetnames)


def test_a_reviewer_downloads_their_reviews_without_the_applicants_names(client, scored):
    client.force_login(scored["bea"])
    data = json.loads(client.get("/en/my-data/attache-my-data.json").content)
    reviews = sorted(data["reviews_written"], key=lambda row: row["application"])
    assert [(row["application"], row["scores"], row["comment"]) for row in reviews] == sorted([
        (scored["amal"].pk, {"Relevance": 5, "Experience": 1}, "=1+1 strong case"),
        (scored["zeynep"].pk, {"Relevance": 4, "Experience": 2}, "Good."),
    ])  # fmt: skip
    text = json.dumps(data, ensure_ascii=False)
    for name in ("amal", "zeynep"):
        assert scored[name].user.email not in text and scored[name].user.profile.full_name not in text
    assert data["applications"] == [] and data["scores_received"] == []


def test_erasing_an_applicant_anonymises_the_nomination_and_what_reviewers_wrote_and_keeps_the_scores(
    scored, private_files
):
    from attache.personal_data import ERASED_NAME, erase

    amal = scored["amal"]
    before = application_scores(call=amal.call)[amal.pk]
    email = amal.user.email
    erase(user=amal.user)
    nomination = Nomination.objects.get(application=amal)  # kept: the focal point's list still counts it
    assert nomination.full_name == ERASED_NAME and nomination.position == ""
    assert email not in nomination.email and nomination.email.endswith("@erased.invalid")
    assert nomination.link == scored["link"]
    assert list(Review.objects.filter(application=amal).values_list("comment", flat=True)) == ["", "", ""]
    assert application_scores(call=amal.call)[amal.pk] == before
    assert Review.objects.get(application=scored["zeynep"]).comment == "Good."  # another applicant's
    assert Application.objects.get(pk=amal.pk).status == "submitted"


def test_erasing_a_reviewer_removes_their_words_but_keeps_their_marks(scored, private_files):
    from attache.personal_data import erase

    call = scored["amal"].call
    before = application_scores(call=call)
    Review.objects.filter(reviewer=scored["dan"]).update(conflict_note="She was my intern")
    erase(user=scored["bea"])
    erase(user=scored["dan"])
    assert Review.objects.get(reviewer=scored["bea"], application=scored["amal"]).comment == ""
    assert Review.objects.get(reviewer=scored["carl"]).comment == "Thin."  # someone else's words stay
    conflict = Review.objects.get(reviewer=scored["dan"])
    assert conflict.conflict and conflict.conflict_note == ""
    assert application_scores(call=call) == before
    assert Score.objects.filter(review__reviewer=scored["bea"]).count() == 4


def test_a_focal_point_with_an_account_finds_their_link_in_their_data_and_erasure_withdraws_it(
    client, scored, private_files
):
    from attache.personal_data import ERASED_NAME, erase
    from tests.factories import UserFactory

    link = scored["link"]
    focal = UserFactory(email=link.focal_point_email.upper())  # the same address, typed otherwise
    client.force_login(focal)
    data = json.loads(client.get("/en/my-data/attache-my-data.json").content)
    (row,) = data["nomination_links"]
    assert (row["organisation_name"], row["focal_point_email"]) == ("Ministry of Labour", link.focal_point_email)
    nominated = Nomination.objects.filter(link=link).count()
    erase(user=focal)
    link.refresh_from_db()
    assert link.focal_point_name == ERASED_NAME and link.focal_point_email.endswith("@erased.invalid")
    assert link.revoked_at is not None
    assert Nomination.objects.filter(link=link).count() == nominated  # the nominees' own, kept
