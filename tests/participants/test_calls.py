"""Calls for applications: the rules of the deadline and of who may apply, file checks, privacy, the email on
submit, and the pages in every language."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from courses.models import OutboundEmail
from participants.models import Answer, Application, Call, CallQuestion
from participants.services import (
    ApplicationError,
    CallError,
    check_pdf,
    delete_question,
    save_application,
    save_call,
    save_question,
    submit_application,
)
from tests.factories import CohortFactory, UserFactory, person

pytestmark = pytest.mark.django_db


def pdf_bytes() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf(name="cv.pdf", content=None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes() if content is None else content, content_type="application/pdf")


@pytest.fixture
def call(db):
    now = timezone.now()
    cohort = CohortFactory()
    call = Call.objects.create(
        cohort=cohort, opens_at=now - datetime.timedelta(days=1), deadline=now + datetime.timedelta(days=10),
        published=True, eligibility_en="Officials and NGO staff.", eligibility_ar="الموظفون والعاملون في المنظمات.",
        eligibility_fr="Agents et personnel d'ONG.",
    )  # fmt: skip
    CallQuestion.objects.create(call=call, kind="text", label_en="Why?", label_ar="لماذا؟", label_fr="Pourquoi ?",
                                order=1)  # fmt: skip
    CallQuestion.objects.create(call=call, kind="choice", label_en="Sector", label_ar="القطاع", label_fr="Secteur",
                                choices_en="Government\nCivil society", choices_ar="حكومي\nمجتمع مدني",
                                order=2)  # fmt: skip
    CallQuestion.objects.create(call=call, kind="number", label_en="Years", label_ar="السنوات", required=False, order=3)
    CallQuestion.objects.create(call=call, kind="file", label_en="CV", label_ar="السيرة الذاتية", order=4)
    return call


def q(call, kind) -> CallQuestion:
    return call.questions.get(kind=kind)


def complete(call):
    return {q(call, "text").pk: "I assist migrant workers.", q(call, "choice").pk: "2", q(call, "file").pk: pdf()}


# --- Deadline and eligibility ---


def test_a_draft_is_kept_whatever_is_missing_and_submitting_it_names_what_is_missing(call, private_files):
    user = person()
    application = save_application(call=call, user=user, values={q(call, "text").pk: "Half an answer"},
                                   language="ar")  # fmt: skip
    assert application.status == Application.Status.DRAFT
    with pytest.raises(ApplicationError) as refused:
        submit_application(application=application)
    assert {question.kind for question in refused.value.missing} == {"choice", "file"}
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT
    assert Answer.objects.get(application=application).text == "Half an answer"


def test_submitting_with_every_required_answer_before_the_deadline(call, private_files):
    application = save_application(call=call, user=person(), values=complete(call), language="fr")
    submit_application(application=application)
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED and application.submitted_at is not None


def test_no_submission_after_the_deadline_and_the_draft_stays(call, private_files):
    user = person()
    application = save_application(call=call, user=user, values=complete(call), language="en")
    after = call.deadline + datetime.timedelta(seconds=1)
    with pytest.raises(ApplicationError, match="deadline"):
        submit_application(application=application, now=after)
    with pytest.raises(ApplicationError, match="deadline"):
        save_application(call=call, user=user, values={q(call, "text").pk: "changed"}, language="en", now=after)
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT
    assert Answer.objects.get(application=application, question=q(call, "text")).text == "I assist migrant workers."


def test_a_nomination_only_call_refuses_direct_applications_with_a_clear_message(call, private_files):
    call.mode = Call.Mode.NOMINATION
    call.save()
    with pytest.raises(ApplicationError, match="nomination only"):
        save_application(call=call, user=person(), values=complete(call), language="en")
    assert not Application.objects.exists()


def test_an_unpublished_or_not_yet_open_call_takes_no_application(call, private_files):
    call.published = False
    call.save()
    with pytest.raises(ApplicationError):
        save_application(call=call, user=person(), values={}, language="en")
    call.published = True
    call.opens_at = timezone.now() + datetime.timedelta(days=1)
    call.save()
    with pytest.raises(ApplicationError):
        save_application(call=call, user=person(), values={}, language="en")


def test_a_submitted_application_cannot_be_changed_or_submitted_again(call, private_files):
    user = person()
    application = submit_application(application=save_application(call=call, user=user, values=complete(call),
                                                                  language="en"))  # fmt: skip
    with pytest.raises(ApplicationError):
        save_application(call=call, user=user, values={q(call, "text").pk: "other"}, language="en")
    with pytest.raises(ApplicationError):
        submit_application(application=application)


def test_a_choice_outside_the_list_and_a_word_for_a_number_are_refused(call, private_files):
    with pytest.raises(ValidationError) as refused:
        save_application(call=call, user=person(), values={q(call, "choice").pk: "7", q(call, "number").pk: "many"},
                         language="en")  # fmt: skip
    assert set(refused.value.message_dict) == {str(q(call, "choice").pk), str(q(call, "number").pk)}
    assert not Application.objects.exists()


# --- Files ---


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("cv.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200, "not a PDF"),  # a renamed .exe
        ("cv.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog broken", "cannot be opened"),
        ("cv.pdf", b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024), "larger than 5 MB"),
    ],
)
def test_a_file_that_is_not_a_sound_small_pdf_is_refused_and_nothing_is_stored(
    call, private_files, name, content, reason
):
    values = {**complete(call), q(call, "file").pk: pdf(name, content)}
    with pytest.raises(ValidationError, match=reason):
        save_application(call=call, user=person(), values=values, language="en")
    assert not Application.objects.exists() and not Answer.objects.exists()
    assert not any(path.is_file() for path in private_files.rglob("*"))


def test_a_sound_pdf_is_accepted_and_stored_privately_under_a_name_that_tells_nothing(call, private_files):
    check_pdf(pdf())
    application = save_application(call=call, user=person(), values=complete(call), language="en")
    answer = Answer.objects.get(application=application, question=q(call, "file"))
    assert answer.file_name == "cv.pdf"
    assert "cv" not in answer.file.name
    assert (private_files / answer.file.name).read_bytes().startswith(b"%PDF-")


# --- Privacy ---


def test_another_applicant_cannot_reach_someones_application_or_file(client, call, private_files):
    owner = person()
    application = save_application(call=call, user=owner, values=complete(call), language="en")
    file_url = f"/en/applications/{application.pk}/files/{q(call, 'file').pk}/"
    client.force_login(person())
    assert client.get(f"/en/applications/{application.pk}/").status_code == 404
    assert client.get(file_url).status_code == 404
    client.force_login(owner)
    response = client.get(file_url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_an_organiser_sees_the_applications_and_the_file_and_it_is_logged(client, call, organiser, private_files):
    from participants.models import AuditEntry

    owner = person()
    owner.profile.full_name = "Amal Haddad"
    owner.profile.save()
    application = save_application(call=call, user=owner, values=complete(call), language="en")
    client.force_login(organiser)
    response = client.get(f"/en/organise/calls/{call.pk}/applications/")
    assert response.status_code == 200 and "Amal Haddad" in response.content.decode()
    assert client.get(f"/en/applications/{application.pk}/files/{q(call, 'file').pk}/").status_code == 200
    assert AuditEntry.objects.filter(actor=organiser, subject=owner).exists()


# --- Email ---


def test_the_applicant_is_emailed_once_on_submit_in_their_language(
    call, private_files, mailoutbox, django_capture_on_commit_callbacks
):
    user = person()
    with django_capture_on_commit_callbacks(execute=True):
        application = save_application(call=call, user=user, values=complete(call), language="ar")
    assert mailoutbox == []  # a draft owes nothing
    with django_capture_on_commit_callbacks(execute=True):
        submit_application(application=application)
    assert OutboundEmail.objects.filter(key=f"application-submitted:{application.pk}").count() == 1
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [user.email]
    assert "تلقينا" in message.subject
    assert f"/ar/applications/{application.pk}/" in message.body


# --- Organisers' set-up ---


def test_an_organiser_sets_up_a_call_and_its_questions_without_the_admin(client, organiser):
    cohort = CohortFactory()
    client.force_login(organiser)
    assert client.get(f"/en/organise/cohorts/{cohort.pk}/call/").status_code == 200
    response = client.post(f"/en/organise/cohorts/{cohort.pk}/call/", {
        "save_call": "1", "mode": "open", "opens_at": "2027-01-01T09:00", "deadline": "2027-02-01T17:00",
        "eligibility_en": "Officials.", "published": "on", "min_women_percent": "40", "min_score": "2.5",
    })  # fmt: skip
    assert response.status_code == 302
    call = Call.objects.get(cohort=cohort)
    # The shortlist assistant's targets are the organisers' to set.
    assert (call.min_women_percent, str(call.min_score)) == (40, "2.50")
    refused = client.post(f"/en/organise/cohorts/{cohort.pk}/call/", {
        "save_call": "1", "mode": "open", "opens_at": "2027-01-01T09:00", "deadline": "2027-02-01T17:00",
        "eligibility_en": "Officials.", "published": "on", "min_women_percent": "140", "min_score": "6",
    })  # fmt: skip
    assert refused.status_code == 200 and set(refused.context["form"].errors) == {"min_women_percent", "min_score"}
    # Typed at the venue's wall clock (the session's zone: UTC by default here).
    assert call.deadline == datetime.datetime(2027, 2, 1, 17, 0, tzinfo=datetime.UTC)
    response = client.post(f"/en/organise/cohorts/{cohort.pk}/call/", {
        "add_question": "1", "question-kind": "choice", "question-label_en": "Sector", "question-order": "1",
        "question-choices_en": "Government", "question-required": "on",
    })  # fmt: skip
    assert response.status_code == 200 and "at least two choices" in response.content.decode()
    client.post(f"/en/organise/cohorts/{cohort.pk}/call/", {
        "add_question": "1", "question-kind": "choice", "question-label_en": "Sector", "question-order": "1",
        "question-choices_en": "Government\nCivil society", "question-required": "on",
    })  # fmt: skip
    assert call.questions.get().choices == [("1", "Government"), ("2", "Civil society")]


def test_a_call_is_not_published_without_saying_who_may_apply():
    now = timezone.now()
    with pytest.raises(CallError):
        save_call(cohort=CohortFactory(), changes={"opens_at": now, "deadline": now + datetime.timedelta(days=1),
                                                   "published": True}, by=UserFactory())  # fmt: skip


def test_an_answered_question_keeps_its_kind_and_cannot_be_removed(call, private_files):
    save_application(call=call, user=person(), values={q(call, "text").pk: "An answer"}, language="en")
    question = q(call, "text")
    with pytest.raises(CallError):
        save_question(call=call, question=question, changes={"kind": "number"})
    with pytest.raises(CallError):
        delete_question(question=question)
    delete_question(question=q(call, "number"))  # nobody answered it
    assert not call.questions.filter(kind="number").exists()


# --- Pages ---


def test_the_list_shows_open_calls_only_and_explains_an_empty_list(client, call):
    response = client.get("/fr/calls/")
    assert response.status_code == 200 and f"/fr/calls/{call.pk}/" in response.content.decode()
    call.deadline = timezone.now() - datetime.timedelta(minutes=1)
    call.opens_at = call.deadline - datetime.timedelta(days=1)
    call.save()
    page = client.get("/ar/calls/").content.decode()
    assert f"/ar/calls/{call.pk}/" not in page
    assert "لا توجد" in page or "لا يوجد" in page


def test_a_calls_page_in_arabic_says_who_may_apply_and_leads_to_sign_in(client, call):
    page = client.get(f"/ar/calls/{call.pk}/").content.decode()
    assert "الموظفون والعاملون في المنظمات." in page
    assert "/ar/accounts/signup/?next=%2Far%2Fcalls%2F" in page


def test_the_form_in_french_saves_a_draft_and_submits(client, call, private_files):
    user = person()
    client.force_login(user)
    page = client.get(f"/fr/calls/{call.pk}/apply/").content.decode()
    assert "Pourquoi ?" in page and "Enregistrer le brouillon" in page
    fields = {f"q{q(call, 'text').pk}": "Pour apprendre", "save": "1"}
    assert client.post(f"/fr/calls/{call.pk}/apply/", fields).status_code == 302
    application = Application.objects.get(user=user)
    assert application.language == "fr"
    response = client.post(f"/fr/calls/{call.pk}/apply/", {**fields, "save": "", "submit": "1"})
    assert response.status_code == 200
    assert "Répondez à cette question avant d’envoyer" in response.content.decode()
    fields.update({f"q{q(call, 'choice').pk}": "1", f"q{q(call, 'file').pk}": pdf(), "submit": "1"})
    fields.pop("save")
    assert client.post(f"/fr/calls/{call.pk}/apply/", fields).status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert "Soumise" in client.get("/fr/applications/").content.decode()


def test_applying_to_a_nomination_only_call_explains_why_not(client, call):
    call.mode = Call.Mode.NOMINATION
    call.save()
    client.force_login(person())
    response = client.get(f"/en/calls/{call.pk}/apply/")
    assert response.status_code == 403 and "nomination only" in response.content.decode()


def test_erasing_a_person_erases_their_answers_and_deletes_their_files(call, private_files):
    from attache.personal_data import erase

    user = person()
    application = save_application(call=call, user=user, values=complete(call), language="en")
    stored = private_files / Answer.objects.get(application=application, question=q(call, "file")).file.name
    assert stored.is_file()
    erase(user=user)
    assert not stored.exists()
    assert not Answer.objects.filter(application=application).exclude(text="", number=None, file="", file_name="")


def test_after_the_deadline_the_calls_page_says_so_and_leads_to_the_applicants_draft(client, call, private_files):
    user = person()
    application = save_application(call=call, user=user, values={q(call, "text").pk: "Draft"}, language="en")
    Call.objects.filter(pk=call.pk).update(deadline=timezone.now() - datetime.timedelta(minutes=1),
                                           opens_at=timezone.now() - datetime.timedelta(days=2))  # fmt: skip
    client.force_login(user)
    page = client.get(f"/en/calls/{call.pk}/").content.decode()
    assert "The deadline of this call has passed" in page
    assert f"/en/applications/{application.pk}/" in page
    assert client.get(f"/en/calls/{call.pk}/apply/").status_code == 403


def test_once_the_participants_are_chosen_the_call_takes_no_more_applications(client, call):
    Call.objects.filter(pk=call.pk).update(decided_at=timezone.now())
    client.force_login(person())
    page = client.get(f"/en/calls/{call.pk}/apply/")
    assert page.status_code == 403
    assert "already chosen the participants" in page.text


def test_the_deadline_reads_in_arabic_order_on_the_arabic_call_page(client, call):
    """Django has no Arabic date-and-time format: it printed the English 'يناير 4, 2027, 2:26 ص'."""
    import re

    page = client.get(f"/ar/calls/{call.pk}/")
    assert re.search(r"\d{1,2} \w+، \d{4}، \d{1,2}:\d{2} (ص|م)", page.text), page.text
    assert not re.search(r"\w+ \d{1,2}, \d{4}", page.text)
