"""Everything Attaché holds about one person, for them to download, and the erasure they may ask for.

It reads and writes across the apps (profile and registrations, questionnaires, the alumni network), so it lives
in the package that wires them. Erasure anonymises: the person's identity goes everywhere (names, contacts,
photo, account, directory listing, notes), while what other people and the statistics rest on stays — the
registration rows (status, sector, country), attendance, answers without a name, and ties with an anonymous end —
so a cohort's balance, a questionnaire's results and a network's figures are unchanged.
"""

from __future__ import annotations

import datetime
import io
import json
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

ERASED_NAME = "(erased)"
LABELS = {  # each section of what is held, in the order shown and downloaded
    "account": _("Account"), "profile": _("Profile"), "registrations": _("Registrations"),
    "registration_history": _("History of your registrations"), "invitations": _("Invitations"),
    "attendance": _("Attendance"), "questionnaires": _("Questionnaires sent to you"), "answers": _("Your answers"),
    "directory_listing": _("Your directory listing"), "collaborations": _("Collaborations you recorded"),
    "ties_reported": _("People you said you worked with"), "messages": _("Messages relayed"),
    "blocked": _("People you blocked"), "views_of_your_data": _("Who viewed your data"),
    "applications": _("Your applications to calls"), "nominations": _("Nominations of you"),
    "scores_received": _("Scores given to your applications"), "reviews_written": _("Reviews you wrote"),
    "nomination_links": _("Your links to nominate people"),
}  # fmt: skip
SECTIONS = tuple(LABELS)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if hasattr(value, "code"):  # a django-countries Country
        return value.code
    return value


def _rows(queryset, fields: list[str]) -> list[dict]:
    return [{field: _plain(value) for field, value in zip(fields, row, strict=True)}
            for row in queryset.values_list(*fields)]  # fmt: skip


def collect(*, user) -> dict[str, Any]:
    """What is held about `user`, section by section (plain values, ready for JSON or a workbook)."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    from evaluations.models import (
        AnonymousReceipt,
        Collaboration,
        ContactBlock,
        Delivery,
        DirectoryListing,
        RelayedMessage,
        Response,
        Tie,
    )
    from evaluations.selectors import list_names
    from participants.audit_details import describe
    from participants.models import Attendance, AuditEntry, Invitation, Profile, Registration, RegistrationEvent

    profile_fields = ["full_name", "native_name", "preferred_name", "gender", "gender_self_described",
                      "organisation__name", "position", "nationality", "country_of_posting", "languages", "phone",
                      "messaging", "listed_in_directory", "consent_photo", "consent_share_contact",
                      "consents_updated_at", "photo", "updated_at"]  # fmt: skip
    registration_fields = ["id", "cohort__session__title", "cohort__session__start_date", "cohort__session__end_date",
                           "status", "sector", "country", "applied_at", "travelling_from", "needs_visa_letter",
                           "dietary", "accessibility"]  # fmt: skip
    counterparts = set(Tie.objects.filter(reporter=user).values_list("other_id", flat=True))
    counterparts |= set(RelayedMessage.objects.filter(sender=user).values_list("recipient_id", flat=True))
    counterparts |= set(RelayedMessage.objects.filter(recipient=user).values_list("sender_id", flat=True))
    counterparts |= set(ContactBlock.objects.filter(blocker=user).values_list("blocked_id", flat=True))
    names = list_names(user_ids=counterparts)
    listing = DirectoryListing.objects.filter(user=user)
    return {
        "account": [{
            "email": user.email, "username": user.username, "date_joined": _plain(user.date_joined),
            "last_login": _plain(user.last_login),
            "email_addresses": ", ".join(EmailAddress.objects.filter(user=user).values_list("email", flat=True)),
            "two_factor_methods": ", ".join(Authenticator.objects.filter(user=user).values_list("type", flat=True)),
        }],  # fmt: skip
        "profile": _rows(Profile.objects.filter(user=user), profile_fields),
        "registrations": _rows(Registration.objects.filter(user=user).order_by("applied_at"), registration_fields),
        "registration_history": _rows(
            RegistrationEvent.objects.filter(registration__user=user).order_by("created_at"),
            ["registration_id", "kind", "from_status", "to_status", "reason", "created_at"],
        ),
        "invitations": _rows(
            Invitation.objects.filter(email__iexact=user.email).order_by("created_at"),
            ["cohort__session__title", "email", "full_name", "status", "created_at", "expires_at", "accepted_at"],
        ),
        "attendance": _rows(
            Attendance.objects.filter(registration__user=user).order_by("date"),
            ["registration__cohort__session__title", "date", "status"],
        ),
        "questionnaires": _rows(
            Delivery.objects.filter(user=user).order_by("survey__opens_at"),
            ["survey__instrument__slug", "survey__cohort__session__title", "survey__opens_at", "survey__closes_at"],
        ) + [{"survey__instrument__slug": slug, "survey__cohort__session__title": title, "anonymous": True}
             for slug, title in AnonymousReceipt.objects.filter(user=user).values_list(
                 "survey__instrument__slug", "survey__cohort__session__title")],  # fmt: skip
        "answers": [
            {"questionnaire": slug, "session": title, "submitted": submitted, "submitted_on": _plain(day),
             "answers": json.dumps(answers, ensure_ascii=False, sort_keys=True)}
            for slug, title, submitted, day, answers in Response.objects.filter(respondent=user).values_list(
                "survey__instrument__slug", "survey__cohort__session__title", "submitted", "submitted_on", "answers")
        ],  # fmt: skip
        "directory_listing": _rows(listing, [field.name for field in DirectoryListing._meta.fields
                                             if field.name not in ("id", "user")]),  # fmt: skip
        "collaborations": _rows(Collaboration.objects.filter(reporter=user), ["kind", "happened_on", "note",
                                                                               "created_at"]),  # fmt: skip
        "ties_reported": [
            {"with": names.get(other, ""), "kind": kind, "source": source, "reported_on": _plain(day)}
            for other, kind, source, day in Tie.objects.filter(reporter=user).values_list(
                "other_id", "kind", "source", "reported_on")
        ],  # fmt: skip
        "messages": [
            {"direction": "sent", "with": names.get(other, ""), "at": _plain(at)}
            for other, at in RelayedMessage.objects.filter(sender=user).values_list("recipient_id", "sent_at")
        ] + [
            {"direction": "received", "with": names.get(other, ""), "at": _plain(at)}
            for other, at in RelayedMessage.objects.filter(recipient=user).values_list("sender_id", "sent_at")
        ],  # fmt: skip
        "blocked": [{"person": names.get(pk, ""), "at": _plain(at)}
                    for pk, at in ContactBlock.objects.filter(blocker=user).values_list("blocked_id", "created_at")],
        "views_of_your_data": [
            {"at": _plain(at), "action": _plain(action), "what": describe(details, what)}
            for at, action, details, what in AuditEntry.objects.filter(subject=user).values_list(
                "at", "action", "details", "what"
            )
        ],
        **_selection(user),
    }  # fmt: skip


def _selection(user) -> dict[str, list[dict]]:
    """Calls for applications: their applications with the answers as text (a file by its name; the files
    themselves are on the application's page), the nominations of them (by which organisation, when), the scores
    given to their applications — each review a number, never the reviewer's name, and without the reviewers'
    comments, which would tell who wrote them — and the reviews they wrote as a reviewer (an application by its
    number only, never the applicant's name)."""
    from participants.exports import answer_cell
    from participants.models import Answer, Application, Nomination, NominationLink, Review, Score

    applications = list(Application.objects.filter(user=user).select_related("call__cohort__session")
                        .order_by("created_at", "pk"))  # fmt: skip
    answers: dict[int, dict[str, Any]] = {application.pk: {} for application in applications}
    for answer in (
        Answer.objects.filter(application__user=user)
        .select_related("question")
        .order_by("question__order", "question_id")
    ):
        answers[answer.application_id][answer.question.label] = answer_cell(answer, answer.question)
    numbers: dict[int, dict[int, int]] = {}  # an application's reviews: 1, 2, 3… in the order they were assigned
    scores = []
    for score in Score.objects.filter(
        review__application__user=user, review__submitted_at__isnull=False, review__conflict=False
    ).select_related("criterion", "review__application__call__cohort__session").order_by(
        "review__application_id", "review__assigned_at", "review_id", "criterion__order", "criterion_id"
    ):  # fmt: skip
        application = score.review.application
        numbering = numbers.setdefault(application.pk, {})
        number = numbering.setdefault(score.review_id, len(numbering) + 1)
        scores.append(
            {
                "application": application.pk,
                "call": application.call.cohort.session.title,
                "review": number,
                "criterion": score.criterion.label,
                "score": score.value,
            }
        )
    marks: dict[int, dict[str, int]] = {}
    for score in (
        Score.objects.filter(review__reviewer=user)
        .select_related("criterion")
        .order_by("criterion__order", "criterion_id")
    ):
        marks.setdefault(score.review_id, {})[score.criterion.label] = score.value
    return {
        "applications": [
            {"application": application.pk, "call": application.call.cohort.session.title,
             "status": application.status, "started_at": _plain(application.created_at),
             "submitted_at": _plain(application.submitted_at), "decided_at": _plain(application.decided_at),
             "answers": answers[application.pk]}
            for application in applications
        ],
        "nominations": _rows(
            Nomination.objects.filter(Q(email__iexact=user.email) | Q(application__user=user)).order_by("created_at"),
            ["call__cohort__session__title", "link__organisation_name", "full_name", "email", "position",
             "created_at", "withdrawn_at"],
        ),
        "scores_received": scores,
        # As a nominating organisation's focal point: the links given to them (their nominees are in their link's
        # page, each person's own data).
        "nomination_links": _rows(
            NominationLink.objects.filter(focal_point_email__iexact=user.email).order_by("created_at"),
            ["call__cohort__session__title", "organisation_name", "focal_point_name", "focal_point_email",
             "max_nominees", "created_at", "last_sent_at", "revoked_at"],
        ),
        "reviews_written": [
            {"application": application_id, "call": call, "conflict_of_interest": conflict, "conflict_note": note,
             "comment": comment, "scored_at": _plain(submitted), "scores": marks.get(pk, {})}
            for pk, application_id, call, conflict, note, comment, submitted in Review.objects.filter(
                reviewer=user).order_by("assigned_at", "pk").values_list(
                "pk", "application_id", "application__call__cohort__session__title", "conflict", "conflict_note",
                "comment", "submitted_at")
        ],
    }  # fmt: skip


def as_json(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False).encode()


def as_workbook(data: dict) -> bytes:
    """One sheet a section, a row a record; text that a spreadsheet would run as a formula is written as text."""
    from openpyxl import Workbook

    from participants.exports import neutralise

    workbook = Workbook(write_only=True)
    for section in SECTIONS:
        sheet = workbook.create_sheet(section[:31])
        rows = data.get(section) or []
        columns = list(dict.fromkeys(key for row in rows for key in row))
        sheet.append(columns or ["(nothing held)"])
        for row in rows:
            sheet.append([neutralise(_cell(row.get(column))) for column in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(value: Any) -> Any:
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def _erase_applications(user) -> None:
    """Answers to calls for applications, and the PDFs sent with them (a CV names its person); the applications
    themselves stay, with their status, as registrations do."""
    from participants.models import Answer

    answers = Answer.objects.filter(application__user=user)
    for answer in answers.exclude(file=""):
        answer.file.delete(save=False)
    answers.update(text="", number=None, file="", file_name="")


def _erase_selection(user) -> None:
    """Nominations of them keep their place (a focal point's list and quota count them) but lose the name, the
    address and the position; what reviewers wrote about their applications goes (the marks stay with the
    application's status); as a reviewer, their own words go (comments, conflict notes) while their marks and
    declared conflicts stay, so the call's scores and selection are unchanged."""
    from django.utils import timezone

    from participants.models import Nomination, NominationLink, Review

    for nomination in Nomination.objects.filter(Q(email__iexact=user.email) | Q(application__user=user)):
        nomination.email = f"erased-{user.pk}-{nomination.pk}@erased.invalid"  # one per call: each its own
        nomination.full_name = ERASED_NAME
        nomination.position = ""
        nomination.save(update_fields=["email", "full_name", "position"])
    Review.objects.filter(Q(application__user=user) | Q(reviewer=user)).update(comment="", conflict_note="")
    # As a focal point: their links are withdrawn (nobody is left to answer for them) and lose the name and address;
    # the nominations made stay, each its own person's.
    for link in NominationLink.objects.filter(focal_point_email__iexact=user.email):
        link.focal_point_name = ERASED_NAME
        link.focal_point_email = f"erased-{user.pk}-link-{link.pk}@erased.invalid"
        link.revoked_at = link.revoked_at or timezone.now()
        link.save(update_fields=["focal_point_name", "focal_point_email", "revoked_at"])


@transaction.atomic
def erase(*, user) -> None:
    """Anonymise `user` everywhere (see the module's docstring). Their active registrations are cancelled first,
    through the usual rules, so that the waitlist moves up. Cannot be undone."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    from courses.fragment_cache import touch
    from evaluations.models import Collaboration, ContactBlock, DirectoryListing
    from evaluations.services.alumni import forget_directory_choices
    from participants import audit_details
    from participants.models import (
        AttendanceChange,
        AuditEntry,
        Invitation,
        Profile,
        Registration,
        RegistrationEvent,
        RegistrationStatus,
        SessionPack,
    )
    from participants.services import discard_stale_pack, withdraw_registration

    active = (RegistrationStatus.REGISTERED, RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)
    user.is_active = False  # first: the emails the cancellations queue are not sent to an account being erased
    user.save(update_fields=["is_active"])
    for registration in Registration.objects.filter(user=user, status__in=active):
        withdraw_registration(registration=registration, by=user, reason="")
    address = f"erased-{user.pk}@erased.invalid"
    _forget_owed_emails(user)
    # Invitations to any address they used (an accepted one names its registration): each its own blank address,
    # two to one cohort must stay two.
    invitations = Invitation.objects.filter(Q(email__iexact=user.email) | Q(registration__user=user))
    cohorts = {("cohort", cohort_id) for cohort_id in invitations.values_list("cohort_id", flat=True)}
    for invitation in invitations:
        invitation.email = f"erased-{user.pk}-{invitation.pk}@erased.invalid"
        invitation.full_name = ""
        invitation.save(update_fields=["email", "full_name"])
    # Logistics, and what organisers and trainers wrote about the person (the decisions themselves stay).
    Registration.objects.filter(user=user).update(travelling_from="", needs_visa_letter=False, dietary="",
                                                  accessibility="", decision_reason="")  # fmt: skip
    RegistrationEvent.objects.filter(registration__user=user).update(reason="")
    AttendanceChange.objects.filter(registration__user=user).update(reason="")
    _erase_texts_of_answers(user)
    _erase_applications(user)
    _erase_selection(user)
    profile = Profile.objects.filter(user=user).first()
    if profile is not None:
        if profile.photo:
            profile.photo.delete(save=False)
        for name in ("full_name", "native_name", "preferred_name", "gender_self_described", "position", "phone",
                     "messaging"):  # fmt: skip
            setattr(profile, name, "")
        profile.full_name = ERASED_NAME
        # In a cohort of 30, an organisation or a nationality beside "(erased)" can name the person. The figures
        # read the sector and country copied onto each registration when they applied; gender stays for the mix.
        profile.organisation = None
        profile.nationality = profile.country_of_posting = ""
        profile.languages = []
        profile.listed_in_directory = profile.consent_photo = profile.consent_share_contact = False
        profile.consents_updated_at = timezone.now()
        profile.save()
    DirectoryListing.objects.filter(user=user).delete()
    ContactBlock.objects.filter(blocker=user).delete()
    Collaboration.objects.filter(reporter=user).update(note="")
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    user.groups.clear()
    user.email = address
    user.username = f"erased-{user.pk}"
    user.first_name = user.last_name = ""
    user.is_active = False  # signed out everywhere at the next request
    user.set_unusable_password()
    user.save()
    # A printed pack of their cohorts (badges, certificates) carries their name: it goes, and is built again on request.
    for pack in SessionPack.objects.filter(cohort__registrations__user=user).distinct():
        discard_stale_pack(pack=pack)
    AuditEntry.objects.create(action=AuditEntry.Action.ERASED, details=audit_details.erased(), subject=user)
    forget_directory_choices()
    registered = Registration.objects.filter(user=user).values_list("cohort_id", flat=True)
    touch(*cohorts, *[("cohort", pk) for pk in registered])


def _forget_owed_emails(user) -> None:
    """Emails not sent yet to any address of theirs, and messages relayed from or to them: never sent, and what
    they say (a relayed text, a sign-in code) wiped from the outbox now."""
    from courses.outbox import forget_owed
    from evaluations.models import RelayedMessage
    from participants.models import Invitation

    addresses = {user.email, *Invitation.objects.filter(registration__user=user).values_list("email", flat=True)}
    messages = RelayedMessage.objects.filter(Q(sender=user) | Q(recipient=user)).values_list("pk", flat=True)
    forget_owed(addresses=addresses, keys=[f"relay:{pk}" for pk in messages])


def _erase_texts_of_answers(user) -> None:
    """What they wrote in their own words goes; their ratings and choices stay in the figures, without a name."""
    from evaluations.models import QuestionKind, Response

    responses = Response.objects.filter(respondent=user).prefetch_related("survey__instrument__questions")
    for response in responses:
        answers = dict(response.answers)
        for question in response.survey.instrument.questions.all():
            value = answers.get(question.key)
            if question.kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT) and value:
                answers[question.key] = ""
            elif question.kind == QuestionKind.ACTION_PLAN and isinstance(value, list):
                answers[question.key] = [
                    {**item, "action": "", "note": ""} if isinstance(item, dict) else item for item in value
                ]
        if answers != response.answers:
            response.answers = answers
            response.save(update_fields=["answers"])
