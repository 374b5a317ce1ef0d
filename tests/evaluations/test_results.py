"""Results: the figures of each question, the charts in both directions, the Excel export read back, and an
anonymous survey that names nobody anywhere."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from evaluations import services
from evaluations.charts import bar_chart
from evaluations.models import Response, Survey
from evaluations.selectors import get_survey_results
from participants.models import ExportRecord, Registration, RegistrationStatus
from tests.factories import CohortFactory, UserFactory, make_session, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort():
    start = datetime.date(2027, 3, 1)
    return CohortFactory(session=make_session("results", start_date=start, end_date=start + datetime.timedelta(4),
                                              time_zone="Asia/Bangkok"))  # fmt: skip


def people(cohort, count, status=RegistrationStatus.CONFIRMED, **profile):
    seated = []
    for number in range(count):
        user = person("government", "TH")
        user.profile.full_name = f"Respondent {number}"
        user.profile.save()
        seated.append(Registration.objects.create(cohort=cohort, user=user, sector="government", country="TH",
                                                  status=status))  # fmt: skip
    return seated


def survey_of(cohort, slug) -> Survey:
    services.attach_default_plan(cohort=cohort)
    survey = cohort.surveys.filter(instrument__slug=slug).first()
    services.run_schedule(now=survey.opens_at)
    survey.refresh_from_db()
    return survey


END_ANSWERS = [
    {"overall": 5, "standards": {"before": 2, "after": 4}, "referral": {"before": 1, "after": 4}, "cooperation": 4,
     "action_plan": [{"action": "Referral desk"}], "comments": "Zebra crossing"},
    {"overall": 4, "standards": {"before": 3, "after": 3}, "referral": {"before": 2, "after": 3}, "cooperation": 5,
     "action_plan": [{"action": "Train colleagues"}, {"action": "=cmd|' /C calc'!A0"}], "comments": "=HYPERLINK(\"http://x\")"},
]  # fmt: skip


def answered_end(cohort):
    registrations = people(cohort, 3)
    survey = survey_of(cohort, "end-of-session")
    for registration, answers in zip(registrations, END_ANSWERS, strict=False):
        services.save_response(survey=survey, user=registration.user, data=answers, submit=True, now=survey.opens_at)
    return survey, registrations


def test_the_figures_of_each_question(cohort):
    survey, _registrations = answered_end(cohort)
    results = get_survey_results(survey=survey)
    assert (results["answered"], results["asked"], results["rate"]) == (2, 3, 67)
    by_key = {item["question"].key: item for item in results["questions"]}
    assert by_key["overall"]["counts"] == [("1", 0), ("2", 0), ("3", 0), ("4", 1), ("5", 1)]
    assert by_key["overall"]["mean"] == 4.5
    assert (by_key["standards"]["before"], by_key["standards"]["after"], by_key["standards"]["change"]) == (2.5, 3.5, 1)
    assert by_key["standards"]["improved"] == 1
    assert by_key["referral"]["change"] == 2.0
    assert by_key["action_plan"]["actions"] == 3


def test_the_results_take_the_same_queries_for_2_or_40_answers(cohort, django_assert_max_num_queries):
    survey = survey_of(cohort, "daily")
    Response.objects.bulk_create(Response(survey=survey, submitted=True, answers={"useful": 4}) for _ in range(2))
    with django_assert_max_num_queries(4):
        get_survey_results(survey=survey)
    Response.objects.bulk_create(Response(survey=survey, submitted=True, answers={"useful": 3}) for _ in range(38))
    with django_assert_max_num_queries(4):
        assert get_survey_results(survey=survey)["answered"] == 40


def test_a_chart_mirrors_in_right_to_left_and_escapes_its_labels():
    ltr = bar_chart([("<b>Yes</b>", 3), ("No", 1)], title="Q")
    rtl = bar_chart([("نعم", 3), ("لا", 1)], title="س", rtl=True)
    assert "&lt;b&gt;Yes&lt;/b&gt;" in ltr and "<b>" not in ltr
    assert 'direction="rtl"' in rtl and 'direction="ltr"' in ltr
    # The longest bar starts at the label column on the left in LTR, ends at it on the right in RTL.
    assert '<rect x="150.0"' in ltr
    assert '<rect x="56.0"' in rtl


def test_the_results_page_shows_charts_with_their_tables(client, organiser, cohort):
    survey, _registrations = answered_end(cohort)
    client.force_login(organiser)
    response = client.get(reverse("evaluations:survey_results", kwargs={"pk": survey.pk}))
    assert response.status_code == 200
    assert response.text.count('<svg xmlns="http://www.w3.org/2000/svg"') >= 4
    assert "2 answers from 3 people asked (67 %)" in response.text
    arabic = client.get("/ar" + reverse("evaluations:survey_results", kwargs={"pk": survey.pk})[3:])
    assert 'direction="rtl"' in arabic.text


def test_the_answers_export_to_excel_and_read_back(client, organiser, cohort):
    survey, registrations = answered_end(cohort)
    client.force_login(organiser)
    response = client.get(reverse("evaluations:survey_export", kwargs={"pk": survey.pk}))
    rows = list(load_workbook(io.BytesIO(response.content), read_only=True).active.iter_rows(values_only=True))
    assert rows[0][:7] == ("Name", "Full name (passport)", "Organisation", "Email", "Answered on", "overall",
                           "standards (before)")  # fmt: skip
    assert len(rows) == 3
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["Respondent 0"][5:9] == (5, 2, 4, 1)
    assert by_name["Respondent 1"][rows[0].index("comments")] == '\'=HYPERLINK("http://x")'  # never a formula
    assert ExportRecord.objects.get().kind == "survey_responses"


def test_an_anonymous_survey_names_nobody_in_its_results_or_export(client, organiser, cohort):
    registrations = people(cohort, 5)
    survey = survey_of(cohort, "daily")
    texts = ("Loved the role play", "Too fast", "More cases", "Good food", "Long day")
    for registration, text in zip(registrations, texts, strict=True):
        services.save_anonymous_response(survey=survey, data={"useful": 4, "best": text}, user=registration.user,
                                         now=survey.opens_at)  # fmt: skip
    client.force_login(organiser)
    pages = [
        client.get(reverse("evaluations:survey_results", kwargs={"pk": survey.pk})).text,
        client.get(reverse("evaluations:survey", kwargs={"pk": survey.pk})).text,
        client.get(reverse("evaluations:cohort", kwargs={"pk": cohort.pk})).text,
    ]
    export = client.get(reverse("evaluations:survey_export", kwargs={"pk": survey.pk})).content
    rows = list(load_workbook(io.BytesIO(export), read_only=True).active.iter_rows(values_only=True))
    cells = " ".join(str(value) for row in rows for value in row)
    assert "Loved the role play" in pages[0] and "Loved the role play" in cells
    for registration in registrations:
        for text in [*pages, cells]:
            assert registration.user.email not in text
            assert registration.user.profile.full_name not in text
    assert rows[0][0] == "useful"  # no name, email or time columns


def test_the_cohort_summary_and_the_programme_trend(client, organiser, cohort):
    from evaluations.selectors import get_cohort_summary

    survey, registrations = answered_end(cohort)
    summary = {level["level"]: level for level in get_cohort_summary(cohort=cohort)["levels"]}
    assert summary["learning"]["figures"] == [("likert", 4.5)]  # overall 4.5 and cooperation 4.5 averaged
    assert dict(summary["learning"]["changes"]) == {
        "My knowledge of the standards that protect migrant workers": 1.0,
        "My ability to refer a migrant worker's case to the right organisation": 2.0,
    }
    client.force_login(organiser)
    page = client.get(reverse("evaluations:cohort", kwargs={"pk": cohort.pk})).text
    assert "Average agreement: <strong>4.5</strong> / 5" in page
    trend = client.get(reverse("evaluations:programme", kwargs={"pk": cohort.session.get_parent().pk}))
    assert trend.status_code == 200
    assert cohort.session.title in trend.text and "+1.5" in trend.text


def test_the_programme_trend_takes_the_same_queries_for_more_cohorts_and_answers(cohort, django_assert_max_num_queries):
    from evaluations.selectors import get_programme_trend

    answered_end(cohort)
    programme = cohort.session.get_parent()
    with django_assert_max_num_queries(8) as first:
        get_programme_trend(programme=programme)
    for number in range(3):
        start = datetime.date(2028, 1 + number, 1)
        other = CohortFactory(session=make_session(f"more-{number}", start_date=start,
                                                   end_date=start + datetime.timedelta(4)))  # fmt: skip
        answered_end(other)
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert len(get_programme_trend(programme=programme)) == 4


def pdf_text(content: bytes) -> str:
    import unicodedata

    from pypdf import PdfReader

    return unicodedata.normalize("NFKC", "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages))


def test_the_cohort_report_pdf_has_the_figures_and_charts_and_no_names(client, organiser, cohort):
    _survey, registrations = answered_end(cohort)
    client.force_login(organiser)
    response = client.get(reverse("evaluations:cohort_report", kwargs={"pk": cohort.pk}))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Evaluation report" in text and cohort.session.title in text
    assert "average agreement 4.5 / 5" in text
    assert "2 answers from 3 people asked" in text
    assert "Zebra crossing" in text  # a comment, quoted without its author
    for registration in registrations:
        assert registration.user.profile.full_name not in text and registration.user.email not in text
    assert response.content.count(b"/Subtype /Image") == 0  # charts are vector drawings, not pictures
    arabic = client.get("/ar" + reverse("evaluations:cohort_report", kwargs={"pk": cohort.pk})[3:])
    arabic_text = pdf_text(arabic.content)
    assert "تقرير" in arabic_text and "التقييم" in arabic_text


def test_the_daily_debrief_is_for_the_sessions_trainers_and_organisers(client, organiser, cohort):
    from courses.permissions import TRAINERS

    registrations = people(cohort, 5)
    survey = survey_of(cohort, "daily")
    for registration in registrations:
        services.save_anonymous_response(survey=survey, data={"useful": 5, "change": "More breaks"},
                                         user=registration.user, now=survey.opens_at)  # fmt: skip
    url = reverse("evaluations:debrief", kwargs={"pk": survey.pk})
    trainer = UserFactory(groups=[TRAINERS])
    client.force_login(trainer)
    assert client.get(url).status_code == 404  # not their session
    cohort.session.trainers.add(trainer)
    cohort.session.save()
    response = client.get(url)
    text = pdf_text(response.content)
    assert "Daily debrief" in text and "Monday 1 March 2027" in text and "More breaks" in text
    assert "5 answers, average 5 / 5" in text
    assert text.count("More breaks") == 5


def test_an_anonymous_questionnaire_shows_nothing_below_five_answers(client, organiser, cohort):
    registrations = people(cohort, 5)
    survey = survey_of(cohort, "daily")
    client.force_login(organiser)
    url = reverse("evaluations:survey_results", kwargs={"pk": survey.pk})
    for number, registration in enumerate(registrations, start=1):
        services.save_anonymous_response(survey=survey, data={"useful": 4, "best": f"Answer {number}"},
                                         user=registration.user, now=survey.opens_at)  # fmt: skip
        page = client.get(url).text
        export = client.get(reverse("evaluations:survey_export", kwargs={"pk": survey.pk})).content
        cells = [row for row in load_workbook(io.BytesIO(export), read_only=True).active.iter_rows(values_only=True)]
        if number < 5:
            assert "Answer 1" not in page and "shown from 5 answers" in page and len(cells) == 1
        else:
            assert "Answer 1" in page and len(cells) == 6


def test_a_question_changed_after_answers_came_in_breaks_nothing(client, organiser, cohort):
    survey, registrations = answered_end(cohort)
    question = survey.instrument.questions.get(key="standards")
    question.kind = "likert"  # was a before/after pair: the stored answers are dicts
    question.save()
    client.force_login(organiser)
    assert client.get(reverse("evaluations:survey_results", kwargs={"pk": survey.pk})).status_code == 200
    assert client.get(reverse("evaluations:cohort_report", kwargs={"pk": cohort.pk})).status_code == 200
    from evaluations.tokens import make_token

    url = reverse("evaluations:respond", kwargs={"token": make_token(survey_id=survey.pk,
                                                                     user_id=registrations[0].user_id)})  # fmt: skip
    from django.utils import timezone as tz

    Survey.objects.filter(pk=survey.pk).update(closes_at=tz.now() + datetime.timedelta(days=1),
                                               opens_at=tz.now() - datetime.timedelta(days=1))  # fmt: skip
    client.logout()
    assert client.get(url).status_code == 200


def test_the_action_plans_are_listed_in_the_results_and_the_report_without_their_authors(client, organiser, cohort):
    answered_end(cohort)
    survey = cohort.surveys.get(instrument__slug="end-of-session")
    client.force_login(organiser)
    page = client.get(reverse("evaluations:survey_results", kwargs={"pk": survey.pk})).text
    assert "Referral desk" in page and "Train colleagues" in page
    report = pdf_text(client.get(reverse("evaluations:cohort_report", kwargs={"pk": cohort.pk})).content)
    assert "Referral desk" in report


def test_comments_in_another_direction_keep_their_bullets_inside_an_arabic_page(client, organiser, cohort):
    """A left-to-right list item's bullet stands outside a right-to-left page (4 px of sideways scrolling on a
    phone): the direction goes on the text, never on the item."""
    survey, _registrations = answered_end(cohort)
    client.force_login(organiser)
    page = client.get("/ar" + reverse("evaluations:survey_results", kwargs={"pk": survey.pk})[3:]).text
    assert "Zebra crossing" in page
    assert '<li dir="auto">' not in page
