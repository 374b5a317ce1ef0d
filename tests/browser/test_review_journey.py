"""A reviewer signs in on a phone, opens the call given to them, scores an application; the organisers' scores
page shows it."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth import get_user_model
from django.core.management import call_command

from participants.models import Answer, Call, Review
from participants.services import assign_reviews, save_application, submit_application
from tests.browser.conftest import DESKTOP, PHONE, sign_in
from tests.browser.test_organiser_settings_journey import axe_violations, fits, signed_in
from tests.factories import person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server, monkeypatch, tmp_path):
    from django.core.files.storage import FileSystemStorage

    monkeypatch.setattr(Answer._meta.get_field("file"), "storage", FileSystemStorage(location=tmp_path))
    call_command("seed_demo", verbosity=0)
    return live_server.url


def mark(page, criterion, value: int) -> None:
    """Choose a mark: the radio buttons look like buttons, their labels take the tap."""
    page.locator(f"label[for='id_c{criterion.pk}_{value - 1}']").click()


def test_a_reviewer_scores_an_application_on_a_phone_and_the_organiser_sees_it(site, browser, live_server, screenshot):
    from tests.browser.test_apply_journey import a_pdf

    User = get_user_model()
    organiser = User.objects.get(email="organiser@example.org")
    reviewer = User.objects.get(email="reviewer@example.org")
    call = Call.objects.get(cohort__session__slug="amman-upcoming", cohort__session__locale__language_code="en")
    applicant = person("civil_society", "JO", email="rania.applicant@example.org")
    applicant.profile.full_name = "Rania Khoury"
    applicant.profile.save()
    from django.core.files.uploadedfile import SimpleUploadedFile

    values = {}
    for question in call.questions.all():
        values[question.pk] = {
            "text": "I run a legal clinic for domestic workers.", "choice": "2", "number": "6",
            "file": SimpleUploadedFile("cv.pdf", a_pdf(), content_type="application/pdf"),
        }[question.kind]  # fmt: skip
    application = submit_application(
        application=save_application(call=call, user=applicant, values=values, language="en")
    )
    assign_reviews(call=call, per_application=1, by=organiser)
    review = Review.objects.get(application=application, reviewer=reviewer)

    context = browser.new_context(viewport=PHONE, locale="en-GB", bypass_csp=True)  # axe is an inline script
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, site, reviewer.email)
    page.goto(f"{site}/en/")
    page.get_by_role("button", name="Open the menu").click()
    page.get_by_role("link", name="Applications to review").click()
    page.get_by_role("heading", name="Applications to review").wait_for()
    page.locator(f"main a[href='/en/review/calls/{call.pk}/']").first.click()
    page.get_by_text("done.").wait_for()
    assert fits(page)
    page.get_by_role("link", name=f"Application {application.pk}").click()
    page.get_by_text("I run a legal clinic for domestic workers.").wait_for()
    # Marks on every criterion but one: the page says which is missing and keeps the others.
    criteria = list(call.criteria.all())
    for criterion in criteria[:-1]:
        mark(page, criterion, 3)
    page.get_by_label("Comment").fill("Strong field experience.")
    page.get_by_role("button", name="Send my marks").click()
    page.get_by_text("Your marks were not saved.").wait_for()
    assert page.locator(f"input[name=c{criteria[0].pk}][value='3']").is_checked()
    mark(page, criteria[-1], 4)
    screenshot(page, "review-form-phone-en")
    assert axe_violations(page) == []
    assert fits(page)
    page.get_by_role("button", name="Send my marks").click()
    page.get_by_text("Your marks are saved.").wait_for()
    review.refresh_from_db()
    assert review.submitted_at is not None and review.comment == "Strong field experience."
    assert sorted(review.scores.values_list("value", flat=True)) == sorted([3] * (len(criteria) - 1) + [4])
    context.close()

    TOTP.activate(organiser, generate_totp_secret())
    context, page = signed_in(browser, live_server, organiser, DESKTOP)
    page.goto(f"{site}/en/organise/cohorts/{call.cohort_id}/call/")
    page.get_by_role("link", name="Scores").click()
    page.get_by_role("heading", name="Scores").wait_for()
    row = page.locator("tr", has_text="Rania Khoury")
    weights = [criterion.weight for criterion in criteria]
    expected = (sum(weights[:-1]) * 3 + weights[-1] * 4) / sum(weights)
    assert f"{expected:.2f}" in row.inner_text()
    screenshot(page, "review-scores-desktop-en")
    assert axe_violations(page) == []
    context.close()
