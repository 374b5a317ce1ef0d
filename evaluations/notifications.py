"""Emails of the evaluations app, built when the outbox (courses.outbox) sends them, in the reader's language."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from participants.models import Registration

from . import services
from .models import Delivery, RelayedMessage, Survey
from .tokens import make_token


def survey_url(*, survey_id: int, user_id: int, language: str) -> str:
    with translation.override(language):
        path = reverse("evaluations:respond", kwargs={"token": make_token(survey_id=survey_id, user_id=user_id)})
    return settings.SITE_URL.rstrip("/") + path


def build_survey_email(*, delivery_id: int, kind: str) -> EmailMessage | None:
    """An invitation ("invite") or a reminder ("remind"), owed by the schedule (services.surveys); None when
    it is no longer due: the questionnaire closed, the person answered, cancelled or was erased since."""
    delivery = (
        Delivery.objects.select_related("survey__instrument", "survey__cohort__session", "user")
        .filter(pk=delivery_id)
        .first()
    )
    if delivery is None or not services.still_asked(delivery=delivery, reminder=kind != "invite"):
        return None
    survey = delivery.survey
    registration = Registration.objects.filter(cohort=survey.cohort_id, user=delivery.user_id).first()
    language = registration.language if registration else settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            "survey": survey,
            "kind": "invite" if kind == "invite" else "remind",
            "title": survey.instrument.title,
            "session": survey.cohort.session.localized,
            "url": survey_url(survey_id=survey.pk, user_id=delivery.user_id, language=language),
            "closes": survey.closes_at,
        }
        subject = render_to_string("emails/survey_subject.txt", context).strip()
        body = render_to_string("emails/survey_body.txt", context)
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [delivery.user.email])


def build_daily_debrief_email(*, survey_id: int) -> EmailMessage | None:
    """The day's evaluation on one page (PDF) for the session's trainers; None when it has no trainer."""
    from .reports import build_daily_debrief

    survey = Survey.objects.select_related("cohort__session").get(pk=survey_id)
    session = survey.cohort.session
    trainers = [email for email in session.trainers.filter(is_active=True).values_list("email", flat=True) if email]
    if not trainers:
        return None
    language = session.locale.language_code
    with translation.override(language):
        context = {"session": session.localized, "survey": survey}
        subject = render_to_string("emails/debrief_subject.txt", context).strip()
        body = render_to_string("emails/debrief_body.txt", context)
        pdf = build_daily_debrief(survey=survey, language=language)
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, trainers)
    message.attach(f"debrief-{survey.opens_at:%Y%m%d}.pdf", pdf, "application/pdf")
    return message


# Messages relayed between alumni. The text goes into the email and nowhere else.


def _reader_language(user_id: int) -> str:
    """The language of the person's latest registration, else English."""
    language = (
        Registration.objects.filter(user=user_id).order_by("-applied_at", "-pk").values_list("language", flat=True)
    ).first()
    return language or "en"


def _absolute_url(name: str, *, language: str, **kwargs) -> str:
    with translation.override(language):
        path = reverse(name, kwargs=kwargs or None)
    return settings.SITE_URL.rstrip("/") + path


def _shared_organisation(user_id: int) -> str:
    """The organisation as the directory shows it: only if the person is listed and shares it."""
    from .selectors.alumni import get_card

    card = get_card(user_id=user_id)
    return card.organisation if card else ""


def build_relayed_message_email(*, message, text: str):
    """The email that carries a message to its recipient, in their language: from the platform, with no
    Reply-To, and the sender's address nowhere in it."""
    from django.core.mail import EmailMessage

    from .selectors.relay import name_of

    sender, recipient = message.sender, message.recipient
    language = _reader_language(recipient.pk)
    with translation.override(language):
        context = {
            "name": name_of(sender),
            "organisation": _shared_organisation(sender.pk),
            "text": text,
            "reply_url": _absolute_url("evaluations:message_reply", language=language, pk=message.pk),
            "block_url": _absolute_url("evaluations:message_block", language=language, pk=message.pk),
            "listing_url": _absolute_url("evaluations:listing", language=language),
        }
        subject = " ".join(render_to_string("emails/alumni_message_subject.txt", context).split())
        body = render_to_string("emails/alumni_message_body.txt", context)
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient.email])


def build_reply_email(*, reply, text: str):
    """The email that carries a reply to the person who wrote first, in their language: Reply-To and the body
    give the replier's address (they agreed to share it), and never the first writer's."""
    from django.core.mail import EmailMessage

    from .selectors.relay import name_of

    replier, writer = reply.sender, reply.recipient
    language = _reader_language(writer.pk)
    with translation.override(language):
        context = {
            "name": name_of(replier),
            "organisation": _shared_organisation(replier.pk),
            "email": replier.email,
            "text": text,
            "sent_on": reply.in_reply_to.sent_at if reply.in_reply_to_id else None,
            "block_url": _absolute_url("evaluations:message_block", language=language, pk=reply.pk),
        }
        subject = " ".join(render_to_string("emails/alumni_reply_subject.txt", context).split())
        body = render_to_string("emails/alumni_reply_body.txt", context)
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [writer.email], reply_to=[replier.email])


def build_relayed_message(*, message_id: int, text: str) -> EmailMessage | None:
    """The outbox's builder for a relayed message or a reply; None when an account was closed or the recipient
    blocked the sender since."""
    from .selectors.relay import is_blocking

    message = RelayedMessage.objects.select_related("sender__profile", "recipient", "in_reply_to").get(pk=message_id)
    if not (message.recipient.is_active and message.sender.is_active):
        return None  # either of them erased or closed since
    if is_blocking(blocker_id=message.recipient_id, blocked_id=message.sender_id):
        return None  # blocked since it was written
    if message.in_reply_to_id:
        return build_reply_email(reply=message, text=text)
    return build_relayed_message_email(message=message, text=text)
