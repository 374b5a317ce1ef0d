"""Review of applications: reviewers reach only what is handed to them, blind review names no one, a conflict of
interest never counts, the hand-out is balanced and can run again, marks are checked, and the organisers' scores
page shows the spread and where reviewers disagree."""

import datetime
import re

import pytest
from django.utils import timezone

from courses.permissions import REVIEWERS
from participants.models import Application, AuditEntry, Call, CallQuestion, Criterion, Review, Score
from participants.selection_selectors import application_scores
from participants.services import (
    ReviewError,
    add_reviewer,
    assign_reviews,
    declare_conflict,
    delete_criterion,
    remove_reviewer,
    save_application,
    save_criterion,
    score_review,
    submit_application,
)
from tests.factories import CohortFactory, UserFactory, person
from tests.participants.test_calls import pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def call(db):
    now = timezone.now()
    call = Call.objects.create(
        cohort=CohortFactory(), opens_at=now - datetime.timedelta(days=1), deadline=now + datetime.timedelta(days=10),
        published=True, eligibility_en="Officials and NGO staff.",
    )  # fmt: skip
    CallQuestion.objects.create(call=call, kind="text", label_en="Why?", order=1)
    CallQuestion.objects.create(call=call, kind="file", label_en="CV", order=2)
    Criterion.objects.create(call=call, label_en="Relevance", help_en="Works with migrants daily", weight=3, order=1)
    Criterion.objects.create(call=call, label_en="Reach", weight=1, order=2)
    return call


def reviewer():
    return UserFactory(groups=[REVIEWERS])


def applicant(call, *, name="Amal Haddad", organisation=None, country="JO", email=None):
    user = person("civil_society", country, **({"email": email} if email else {}))
    user.profile.full_name = name
    user.profile.save()
    if organisation:
        user.profile.organisation.name = organisation
        user.profile.organisation.save()
    values = {call.questions.get(kind="text").pk: "I assist domestic workers.",
              call.questions.get(kind="file").pk: pdf("Amal-Haddad-CV.pdf")}  # fmt: skip
    application = save_application(call=call, user=user, values=values, language="en")
    return submit_application(application=application)


def marks(call, *values):
    return dict(zip(call.criteria.values_list("pk", flat=True), values, strict=True))


# --- Scoping ---


def test_a_reviewer_reaches_only_their_calls_and_their_own_reviews(client, call, organiser, private_files):
    mine, theirs = reviewer(), reviewer()
    for user in (mine, theirs):
        add_reviewer(call=call, user=user, by=organiser)
    application = applicant(call)
    assign_reviews(call=call, per_application=2, by=organiser)
    own = Review.objects.get(reviewer=mine)
    other = Review.objects.get(reviewer=theirs)
    another_call = Call.objects.create(cohort=CohortFactory(), opens_at=call.opens_at, deadline=call.deadline)
    file_question = call.questions.get(kind="file")

    client.force_login(mine)
    assert client.get("/en/review/").status_code == 200
    assert client.get(f"/en/review/calls/{call.pk}/").status_code == 200
    assert client.get(f"/en/review/{own.pk}/").status_code == 200
    assert client.get(f"/en/review/calls/{another_call.pk}/").status_code == 404
    assert client.get(f"/en/review/{other.pk}/").status_code == 404
    assert client.get(f"/en/review/{other.pk}/conflict/").status_code == 404
    assert client.get(f"/en/review/{other.pk}/files/{file_question.pk}/").status_code == 404
    assert client.post(f"/en/review/{other.pk}/", {"comment": "x"}).status_code == 404
    # Nor the organisers' pages, nor the application itself.
    assert client.get(f"/en/organise/calls/{call.pk}/scores/").status_code == 403
    assert client.get(f"/en/applications/{application.pk}/").status_code == 404
    # Taken off the call, they reach nothing of it any more.
    remove_reviewer(call=call, user=mine, by=organiser)
    assert client.get(f"/en/review/calls/{call.pk}/").status_code == 404


def test_only_reviewers_and_organisers_may_be_given_a_call(call, organiser):
    with pytest.raises(ReviewError, match="Reviewers role"):
        add_reviewer(call=call, user=person(), by=organiser)
    add_reviewer(call=call, user=organiser, by=organiser)
    assert AuditEntry.objects.filter(actor=organiser, subject=organiser, details__code="call_reviewer_added").exists()


# --- Blind review ---


def test_in_blind_review_no_reviewer_page_names_the_applicant(client, call, organiser, private_files):
    call.blind_review = True
    call.save()
    user = reviewer()
    add_reviewer(call=call, user=user, by=organiser)
    application = applicant(call, name="Amal Haddad", organisation="Tadamon Centre", country="JO",
                            email="amal.haddad@example.org")  # fmt: skip
    assign_reviews(call=call, per_application=1, by=organiser)
    review = Review.objects.get()
    file_question = call.questions.get(kind="file")
    client.force_login(user)
    pages = [client.get(url) for url in ("/en/review/", f"/en/review/calls/{call.pk}/", f"/en/review/{review.pk}/",
                                         f"/en/review/{review.pk}/conflict/")]  # fmt: skip
    # A failed submission too shows the page again.
    pages.append(client.post(f"/en/review/{review.pk}/", {"comment": "Strong"}))
    for response in pages:
        assert response.status_code == 200
        html = response.content.decode()
        for secret in ("Amal", "Haddad", "Tadamon", "Jordan", "amal.haddad@example.org", "Amal-Haddad-CV"):
            assert secret not in html, (response.request["PATH_INFO"], secret)
    detail = pages[2].content.decode()
    assert f"Application {application.pk}" in detail and "I assist domestic workers." in detail
    assert "Files are not shown in blind review" in detail
    assert client.get(f"/en/review/{review.pk}/files/{file_question.pk}/").status_code == 404
    # Not blind: the person and their file.
    call.blind_review = False
    call.save()
    assert "Amal Haddad" in client.get(f"/en/review/{review.pk}/").content.decode()
    response = client.get(f"/en/review/{review.pk}/files/{file_question.pk}/")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


# --- Conflicts of interest ---


def test_a_conflict_of_interest_keeps_no_mark_and_never_counts(call, organiser, private_files):
    first, second = reviewer(), reviewer()
    for user in (first, second):
        add_reviewer(call=call, user=user, by=organiser)
    application = applicant(call)
    assign_reviews(call=call, per_application=2, by=organiser)
    score_review(review=Review.objects.get(reviewer=first), marks=marks(call, 5, 5), comment="", by=first)
    conflicted = score_review(review=Review.objects.get(reviewer=second), marks=marks(call, 1, 1), comment="Weak",
                              by=second)  # fmt: skip
    assert application_scores(call=call)[application.pk].score == pytest.approx(3.0)
    declare_conflict(review=conflicted, note="We work together.", by=second)
    conflicted.refresh_from_db()
    assert (conflicted.conflict, conflicted.comment, conflicted.submitted_at) == (True, "", None)
    assert not Score.objects.filter(review=conflicted).exists()
    result = application_scores(call=call)[application.pk]
    assert (result.score, result.conflicts, result.scored) == (5.0, 1, 1)
    with pytest.raises(ReviewError, match="conflict of interest"):
        score_review(review=conflicted, marks=marks(call, 4, 4), comment="", by=second)
    # Handing out again gives the application to another reviewer in their place.
    third = reviewer()
    add_reviewer(call=call, user=third, by=organiser)
    assert assign_reviews(call=call, per_application=2, by=organiser).created == 1
    assert Review.objects.filter(application=application, reviewer=third).exists()


# --- Hand-out ---


def test_the_hand_out_is_balanced_never_twice_the_same_and_adds_only_what_is_missing(call, organiser, private_files):
    reviewers = [reviewer() for _ in range(3)]
    for user in reviewers:
        add_reviewer(call=call, user=user, by=organiser)
    applications = [applicant(call) for _ in range(5)]
    save_application(call=call, user=person(), values={}, language="en")  # a draft is never handed out
    done = assign_reviews(call=call, per_application=2, by=organiser)
    assert (done.created, done.applications, done.short) == (10, 5, 0)
    loads = sorted(Review.objects.filter(reviewer__in=reviewers).values_list("reviewer", flat=True))
    counts = sorted(loads.count(user.pk) for user in reviewers)
    assert counts[-1] - counts[0] <= 1 and sum(counts) == 10
    for application in applications:
        assert application.reviews.values("reviewer").distinct().count() == 2
    # Again: nothing more. A later application gets its two reviewers.
    assert assign_reviews(call=call, per_application=2, by=organiser).created == 0
    late = applicant(call)
    assert assign_reviews(call=call, per_application=2, by=organiser).created == 2
    assert late.reviews.count() == 2
    assert Review.objects.count() == 12
    # Asking for more reviewers than the call has: what can be done is, and the page says how many fall short.
    done = assign_reviews(call=call, per_application=4, by=organiser)
    assert (done.created, done.short) == (6, 6)
    assert Application.objects.get(pk=late.pk).reviews.count() == 3
    assert AuditEntry.objects.filter(details__code="reviews_assigned").count() == 3


def test_an_applicant_who_also_reviews_is_never_given_their_own_application(call, organiser, private_files):
    both = reviewer()
    add_reviewer(call=call, user=both, by=organiser)
    own = save_application(
        call=call,
        user=both,
        values={call.questions.get(kind="text").pk: "Me", call.questions.get(kind="file").pk: pdf()},
        language="en",
    )
    submit_application(application=own)
    assert assign_reviews(call=call, per_application=1, by=organiser).short == 1
    assert not Review.objects.exists()


# --- Marks ---


def test_every_criterion_needs_a_mark_from_1_to_5(call, organiser, private_files):
    user = reviewer()
    add_reviewer(call=call, user=user, by=organiser)
    applicant(call)
    assign_reviews(call=call, per_application=1, by=organiser)
    review = Review.objects.get()
    relevance, reach = call.criteria.values_list("pk", flat=True)
    for wrong in ({relevance: 4}, {relevance: 0, reach: 3}, {relevance: 6, reach: 3}, {relevance: "x", reach: 3}):
        with pytest.raises(ReviewError) as refused:
            score_review(review=review, marks=wrong, comment="", by=user)
        assert "Give a mark from 1 to 5." in str(refused.value)
    assert not Score.objects.exists()
    with pytest.raises(PermissionError):
        score_review(review=review, marks={relevance: 4, reach: 2}, comment="", by=reviewer())
    score_review(review=review, marks={relevance: 4, reach: 2}, comment="Good", by=user)
    score_review(review=review, marks={relevance: 5, reach: 2}, comment="Better", by=user)  # changeable
    assert application_scores(call=call)[review.application_id].score == pytest.approx((5 * 3 + 2) / 4)
    call.decided_at = timezone.now()
    call.save()
    with pytest.raises(ReviewError, match="decided"):
        score_review(review=review, marks={relevance: 1, reach: 1}, comment="", by=user)


def test_the_review_page_keeps_the_marks_and_names_what_is_missing(client, call, organiser, private_files):
    user = reviewer()
    add_reviewer(call=call, user=user, by=organiser)
    applicant(call)
    assign_reviews(call=call, per_application=1, by=organiser)
    review = Review.objects.get()
    relevance, reach = call.criteria.values_list("pk", flat=True)
    client.force_login(user)
    html = client.get(f"/en/review/{review.pk}/").content.decode()
    assert "Works with migrants daily" in html and html.count('type="radio"') == 10
    response = client.post(f"/en/review/{review.pk}/", {f"c{relevance}": "4", f"c{reach}": "9", "comment": "Kept"})
    html = response.content.decode()
    assert response.status_code == 200 and "Give a mark from 1 to 5." in html and "Kept" in html
    response = client.post(f"/en/review/{review.pk}/", {f"c{relevance}": "4", f"c{reach}": "3", "comment": "Fine"})
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.submitted_at and review.comment == "Fine" and review.scores.count() == 2
    response = client.post(f"/en/review/{review.pk}/conflict/", {"note": "My cousin"})
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.conflict and review.conflict_note == "My cousin" and not review.scores.exists()


# --- The rubric and the reviewers, for organisers ---


def test_a_marked_criterion_cannot_be_removed_and_says_why(call, organiser, private_files):
    user = reviewer()
    add_reviewer(call=call, user=user, by=organiser)
    applicant(call)
    assign_reviews(call=call, per_application=1, by=organiser)
    score_review(review=Review.objects.get(), marks=marks(call, 3, 3), comment="", by=user)
    criterion = call.criteria.first()
    with pytest.raises(ReviewError, match="already marked"):
        delete_criterion(criterion=criterion, by=organiser)
    save_criterion(call=call, criterion=criterion, changes={"weight": 5}, by=organiser)
    spare = save_criterion(call=call, changes={"label_en": "Languages", "weight": 2, "order": 3}, by=organiser)
    delete_criterion(criterion=spare, by=organiser)
    codes = set(AuditEntry.objects.filter(actor=organiser).values_list("details__code", flat=True))
    assert {"criterion_changed", "criterion_added", "criterion_removed"} <= codes
    with pytest.raises(ReviewError):
        save_criterion(call=call, changes={"label_en": "Zero", "weight": 0}, by=organiser)


def test_taking_a_reviewer_off_keeps_their_scores_and_takes_back_the_rest(client, call, organiser, private_files):
    user = reviewer()
    add_reviewer(call=call, user=user, by=organiser)
    first, second = applicant(call), applicant(call)
    assign_reviews(call=call, per_application=1, by=organiser)
    score_review(review=Review.objects.get(application=first), marks=marks(call, 4, 4), comment="", by=user)
    client.force_login(organiser)
    html = client.get(f"/en/organise/calls/{call.pk}/reviewers/{user.pk}/remove/").content.decode()
    assert "their marks stay and count" in html and "taken back" in html
    assert client.post(f"/en/organise/calls/{call.pk}/reviewers/{user.pk}/remove/").status_code == 302
    assert list(Review.objects.values_list("application", flat=True)) == [first.pk]
    assert application_scores(call=call)[first.pk].score == 4.0
    assert not second.reviews.exists()


def test_an_organiser_sets_up_the_review_on_its_page(client, call, organiser, private_files):
    user = reviewer()
    user.profile = None
    client.force_login(organiser)
    url = f"/en/organise/calls/{call.pk}/review/"
    assert client.get(url).status_code == 200
    client.post(url, {"action": "criterion", "criterion-label_en": "Languages", "criterion-label_ar": "اللغات",
                      "criterion-weight": "2", "criterion-order": "3"})  # fmt: skip
    assert call.criteria.filter(label_en="Languages", label_ar="اللغات", weight=2).exists()
    client.post(url, {"action": "blind", "blind_review": "on"})
    call.refresh_from_db()
    assert call.blind_review
    client.post(url, {"action": "reviewer", "reviewer-user": str(user.pk)})
    assert call.reviewers.filter(user=user).exists()
    applicant(call)
    response = client.post(url, {"action": "assign", "assign-per_application": "1"}, follow=True)
    assert "1 review handed out." in response.content.decode()
    response = client.post(url, {"action": "assign", "assign-per_application": "0"})
    assert response.status_code == 200 and Review.objects.count() == 1
    html = client.get(f"/en/organise/cohorts/{call.cohort_id}/call/").content.decode()
    assert f"/en/organise/calls/{call.pk}/review/" in html and f"/en/organise/calls/{call.pk}/scores/" in html


# --- Scores, for organisers ---


def test_the_scores_page_shows_the_spread_and_where_reviewers_disagree(client, call, organiser, private_files):
    first, second = reviewer(), reviewer()
    for user in (first, second):
        add_reviewer(call=call, user=user, by=organiser)
    split = applicant(call, name="Split Decision")
    agreed = applicant(call, name="Clear Case")
    waiting = applicant(call, name="Not Yet Read")
    assign_reviews(call=call, per_application=2, by=organiser)
    for application, (a, b) in ((split, (5, 1)), (agreed, (4, 4))):
        score_review(review=application.reviews.get(reviewer=first), marks=marks(call, a, a), comment="", by=first)
        score_review(review=application.reviews.get(reviewer=second), marks=marks(call, b, b), comment="", by=second)
    declare_conflict(review=waiting.reviews.get(reviewer=first), note="", by=first)
    client.force_login(organiser)
    response = client.get(f"/en/organise/calls/{call.pk}/scores/")
    html = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert "Split Decision" in html and "Clear Case" in html and "Not Yet Read" in html
    assert html.count("Reviewers disagree</span>") == 1
    assert "4.00" in html and "3.00" in html  # the spread of 5 and 1, their mean
    assert html.index("Clear Case") < html.index("Split Decision") < html.index("Not Yet Read")
    assert "Conflict" in html
    only = client.get(f"/en/organise/calls/{call.pk}/scores/?disagree=1").content.decode()
    assert "Split Decision" in only and "Clear Case" not in only and "Not Yet Read" not in only
    assert AuditEntry.objects.filter(actor=organiser, details__code="call_scores").count() == 1


def test_reviewers_see_the_menu_entry_and_an_explained_empty_list(client):
    user = reviewer()
    client.force_login(user)
    html = client.get("/en/review/").content.decode()
    assert "Applications to review" in html and "No call has been given to you" in html
    assert re.search(r'href="/en/review/"', html)
    client.force_login(person())
    assert client.get("/en/review/").status_code == 404


def test_the_review_pages_read_in_arabic(client, call, organiser, private_files):
    user = reviewer()
    add_reviewer(call=call, user=user, by=organiser)
    applicant(call)
    assign_reviews(call=call, per_application=1, by=organiser)
    review = Review.objects.get()
    client.force_login(user)
    for url in ("/ar/review/", f"/ar/review/calls/{call.pk}/", f"/ar/review/{review.pk}/"):
        response = client.get(url)
        assert response.status_code == 200 and 'dir="rtl"' in response.content.decode()
    assert "علاماتك" in client.get(f"/ar/review/{review.pk}/").content.decode()
    client.force_login(organiser)
    assert "المعايير" in client.get(f"/ar/organise/calls/{call.pk}/review/").content.decode()
    assert "الدرجات" in client.get(f"/ar/organise/calls/{call.pk}/scores/").content.decode()


def test_a_criterion_added_after_scoring_sends_the_reviews_back_and_removing_it_restores_them(
    client, call, organiser, private_files
):
    user = reviewer()
    add_reviewer(call=call, user=user, by=organiser)
    application = applicant(call)
    assign_reviews(call=call, per_application=1, by=organiser)
    review = Review.objects.get()
    score_review(review=review, marks=marks(call, 4, 2), comment="", by=user)
    before = application_scores(call=call)[application.pk].score
    client.force_login(organiser)
    answer = client.post(f"/en/organise/calls/{call.pk}/review/", {
        "action": "criterion", "criterion-label_en": "Languages", "criterion-weight": "2", "criterion-order": "9",
    }, follow=True)  # fmt: skip
    assert "1 review already scored goes back to its reviewer" in answer.text
    review.refresh_from_db()
    assert review.submitted_at is None  # to mark again: a score over fewer criteria would not compare with others
    assert application_scores(call=call)[application.pk].score is None
    assert Score.objects.filter(review=review).count() == 2  # the marks given are kept
    delete_criterion(criterion=call.criteria.get(label_en="Languages"), by=organiser)
    review.refresh_from_db()
    assert review.submitted_at is not None and application_scores(call=call)[application.pk].score == before


def test_the_scores_of_a_large_call_come_a_hundred_at_a_time_the_best_first(client, call, organiser, monkeypatch):
    from participants import review_views

    monkeypatch.setattr(review_views, "SCORES_PAGE_SIZE", 2)  # as with a hundred, on a call of five
    user = reviewer()
    add_reviewer(call=call, user=user, by=organiser)
    people = [applicant(call, name=f"Person {number}", email=f"p{number}@example.org") for number in range(5)]
    assign_reviews(call=call, per_application=1, by=organiser)
    for number, application in enumerate(people):
        mark = 5 - number  # Person 0 is the best
        score_review(review=application.reviews.get(), marks=marks(call, mark, mark), comment="", by=user)
    client.force_login(organiser)
    first = client.get(f"/en/organise/calls/{call.pk}/scores/").text
    assert "Person 0" in first and "Person 1" in first and "Person 2" not in first
    assert "?page=2" in first and "1 / 3" in first
    last = client.get(f"/en/organise/calls/{call.pk}/scores/?page=3").text
    assert "Person 4" in last and "Person 0" not in last
