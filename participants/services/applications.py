"""Applications to a call: drafts kept whatever is missing, submitted before the deadline with every required
answer, files checked (a real PDF, not too large) before anything is stored."""

from __future__ import annotations

import decimal
import io
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.outbox import owe_email

from ..models import Answer, Application, ApplicationStatus, Call, CallQuestion
from .nominations import find_nomination, link_nomination

__all__ = [
    "ANSWER_FILE_MAX_BYTES", "ApplicationError", "check_call_accepts", "check_pdf", "save_application",
    "submit_application",
]  # fmt: skip

ANSWER_FILE_MAX_BYTES = 5 * 1024 * 1024


class ApplicationError(Exception):
    """A user-facing reason an application cannot be started, saved or submitted."""


def check_call_accepts(call: Call, *, user=None, now=None) -> None:
    """Raise ApplicationError unless this person (anyone, without `user`) may apply to this call now: a call by
    nomination only takes those whose verified address was nominated (the error then has `nomination_only`)."""
    now = now or timezone.now()
    if not call.published or now < call.opens_at:
        raise ApplicationError(_("This call is not open for applications yet."))
    if now >= call.deadline:
        raise ApplicationError(_("The deadline of this call has passed: applications are closed."))
    if call.decided_at is not None:
        raise ApplicationError(_("The organisers have already chosen the participants of this call: applications "
                                 "are closed."))  # fmt: skip
    if call.mode == Call.Mode.NOMINATION and (user is None or find_nomination(call=call, user=user) is None):
        if user is None:
            error = ApplicationError(
                _("This call is by nomination only: people apply when an organisation nominates them. Ask your "
                  "organisation's focal point to nominate you.")
            )  # fmt: skip
        else:
            error = ApplicationError(
                _("This call is by nomination only, and no nomination was made for the verified email addresses of "
                  "your account. If you were nominated, sign in with the address that was nominated, or add it to "
                  "your account and confirm it.")
            )  # fmt: skip
        error.nomination_only = True
        raise error


def check_pdf(upload: UploadedFile) -> None:
    """Raise ValidationError unless the upload is a PDF that opens, at most ANSWER_FILE_MAX_BYTES. The file is only
    parsed (never rendered or run): its first bytes, then its structure with pypdf."""
    if upload.size > ANSWER_FILE_MAX_BYTES:
        raise ValidationError(_("This file is larger than 5 MB. Send a smaller PDF."))
    upload.seek(0)
    content = upload.read()
    upload.seek(0)
    if not content.startswith(b"%PDF-"):
        raise ValidationError(_("This file is not a PDF. Save your document as PDF and send it again."))
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted:
            raise ValidationError(_("This PDF is protected by a password. Send one without a password."))
        if len(reader.pages) < 1:
            raise ValueError("no page")
    except ValidationError:
        raise
    except Exception as error:  # robust: any failure to parse means a broken file, whatever pypdf raised
        raise ValidationError(_("This PDF cannot be opened: it may be damaged. Save it again and send it.")) from error


def _value_error(question: CallQuestion, value) -> str | None:
    if question.kind == CallQuestion.Kind.NUMBER and value not in ("", None):
        try:
            decimal.Decimal(str(value))
        except decimal.InvalidOperation:
            return _("Write a number.")
    if question.kind == CallQuestion.Kind.CHOICE and value not in ("", None):
        if str(value) not in {key for key, _text in question.choices}:
            return _("Choose one of the answers in the list.")
    return None


def _missing(application: Application) -> list[CallQuestion]:
    answers = {answer.question_id: answer for answer in application.answers.all()}
    return [
        question for question in application.call.questions.all()
        if question.required and (question.pk not in answers or answers[question.pk].is_empty)
    ]  # fmt: skip


@transaction.atomic
def save_application(*, call: Call, user, values: Mapping, language: str, now=None) -> Application:
    """Keep the answers as a draft (whatever is missing), starting the application if needed. `values` maps a
    question's id to its text, number, choice or uploaded PDF (None: keep what is there). Raises ApplicationError
    (the call does not accept it) or ValidationError (by question id: a wrong value or file; nothing is saved)."""
    application = Application.objects.select_for_update().filter(call=call, user=user).first()
    if application is not None and application.status != ApplicationStatus.DRAFT:
        raise ApplicationError(_("This application has been submitted: it can no longer be changed."))
    check_call_accepts(call, user=user, now=now)
    questions = {question.pk: question for question in call.questions.all()}
    errors = {}
    for key, value in values.items():
        question = questions[int(key)]
        if isinstance(value, UploadedFile):
            if question.kind != CallQuestion.Kind.FILE:
                raise ValueError("A file for a question that asks no file.")
            try:
                check_pdf(value)
            except ValidationError as error:
                errors[str(question.pk)] = error.messages
        elif (message := _value_error(question, value)) is not None:
            errors[str(question.pk)] = [message]
    if errors:
        raise ValidationError(errors)
    if application is None:
        application = Application.objects.create(call=call, user=user, language=language)
        link_nomination(application=application)
    elif application.language != language:
        application.language = language
        application.save(update_fields=["language", "updated_at"])
    for key, value in values.items():
        if value is None:
            continue
        question = questions[int(key)]
        answer = Answer.objects.filter(application=application, question=question).first() or Answer(
            application=application, question=question
        )
        if question.kind == CallQuestion.Kind.FILE:
            old = answer.file.name if answer.file else ""
            answer.file_name = value.name[-200:]
            answer.file.save("answer.pdf", value, save=False)
            if old:
                transaction.on_commit(lambda name=old, storage=answer.file.storage: storage.delete(name))
        elif question.kind == CallQuestion.Kind.NUMBER:
            answer.number = decimal.Decimal(str(value)) if value not in ("", None) else None
        else:
            answer.text = str(value).strip()
        answer.save()
    Application.objects.filter(pk=application.pk).update(updated_at=timezone.now())
    return application


@transaction.atomic
def submit_application(*, application: Application, now=None) -> Application:
    """Send a draft to the organisers: before the deadline, with every required answer. The applicant is told by
    email once. Raises ApplicationError."""
    application = Application.objects.select_for_update().select_related("call").get(pk=application.pk)
    if application.status != ApplicationStatus.DRAFT:
        raise ApplicationError(_("This application has already been submitted."))
    check_call_accepts(application.call, user=application.user, now=now)
    missing = _missing(application)
    if missing:
        error = ApplicationError(
            _("Some required questions have no answer yet: %(questions)s. Your draft is saved.")
            % {"questions": "; ".join(question.label for question in missing)}
        )
        error.missing = missing
        raise error
    application.status = ApplicationStatus.SUBMITTED
    application.submitted_at = now or timezone.now()
    application.save(update_fields=["status", "submitted_at", "updated_at"])
    owe_email(
        key=f"application-submitted:{application.pk}",
        builder="participants.notifications.build_application_email",
        args={"application_id": application.pk},
    )
    return application
