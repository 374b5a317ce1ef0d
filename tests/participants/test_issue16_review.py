"""Second look at issue 16's review, nominations and export: what a person loses with their role, what the
hand-out never gives to an account that can no longer review, and what the export says of conflicts."""

import io

import pytest
from django.contrib.auth.models import Group
from openpyxl import load_workbook

from courses.permissions import REVIEWERS
from participants.models import Review
from participants.services import add_reviewer, assign_reviews, declare_conflict, remove_from_role, score_review
from tests.participants import test_reviews
from tests.participants.test_reviews import applicant, marks, reviewer

pytestmark = pytest.mark.django_db
call = test_reviews.call  # the fixture of the review's tests (private_files is the shared one)


def test_a_reviewer_taken_out_of_the_reviewers_role_no_longer_reaches_the_applications(
    client, call, organiser, private_files
):
    user = reviewer()
    add_reviewer(call=call, user=user, by=organiser)
    applicant(call, name="Amal Haddad")
    assign_reviews(call=call, per_application=1, by=organiser)
    review = Review.objects.get()
    file_question = call.questions.get(kind="file")
    client.force_login(user)
    assert client.get(f"/en/review/{review.pk}/").status_code == 200
    remove_from_role(group=Group.objects.get(name=REVIEWERS), user=user, by=organiser)
    for url in ("/en/review/", f"/en/review/calls/{call.pk}/", f"/en/review/{review.pk}/",
                f"/en/review/{review.pk}/conflict/", f"/en/review/{review.pk}/files/{file_question.pk}/"):  # fmt: skip
        assert client.get(url).status_code == 404, url
    assert client.post(f"/en/review/{review.pk}/", {**{f"c{k}": "5" for k in marks(call, 5, 5)}}).status_code == 404
    assert not Review.objects.get().submitted_at
    with pytest.raises(PermissionError):
        score_review(review=review, marks=marks(call, 5, 5), comment="", by=user)


def test_the_hand_out_skips_a_reviewer_who_lost_the_role_or_was_erased(call, organiser, private_files):
    from attache.personal_data import erase

    left, erased, staying = reviewer(), reviewer(), reviewer()
    for user in (left, erased, staying):
        add_reviewer(call=call, user=user, by=organiser)
    remove_from_role(group=Group.objects.get(name=REVIEWERS), user=left, by=organiser)
    erase(user=erased)
    applicant(call)
    done = assign_reviews(call=call, per_application=2, by=organiser)
    assert set(Review.objects.values_list("reviewer", flat=True)) == {staying.pk}
    assert done.created == 1 and done.short == 1  # the organiser is told to add reviewers


def test_the_export_lists_a_declared_conflict_of_interest(client, call, organiser, private_files):
    scorer, conflicted = reviewer(), reviewer()
    for user in (scorer, conflicted):
        add_reviewer(call=call, user=user, by=organiser)
    applicant(call)
    assign_reviews(call=call, per_application=2, by=organiser)
    score_review(review=Review.objects.get(reviewer=scorer), marks=marks(call, 4, 4), comment="", by=scorer)
    declare_conflict(review=Review.objects.get(reviewer=conflicted), note="My colleague", by=conflicted)
    client.force_login(organiser)
    response = client.get(f"/en/organise/calls/{call.pk}/applications.xlsx")
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    header, *rows = list(workbook["Scores"].iter_rows(values_only=True))
    conflict = header.index("Conflict of interest")
    assert sorted(row[conflict] for row in rows) == ["no", "yes"]
