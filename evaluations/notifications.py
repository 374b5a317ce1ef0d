"""Survey invitations and reminders: in the person's language, each sent once."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from participants.models import Registration

from . import services
from .tokens import make_token


def survey_url(*, survey_id: int, user_id: int, language: str) -> str:
    with translation.override(language):
        path = reverse("evaluations:respond", kwargs={"token": make_token(survey_id=survey_id, user_id=user_id)})
    return settings.SITE_URL.rstrip("/") + path


def send_survey_email(*, delivery_id: int, kind: str, number: int = 0) -> bool:
    """Send an invitation or a reminder if it is still due; a retried job sends nothing twice."""
    with transaction.atomic():
        delivery = services.mark_sent(delivery_id=delivery_id, kind=kind, number=number)
        if delivery is None:
            return False
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
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [delivery.user.email])
    return True


def send_daily_debrief(*, survey_id: int) -> bool:
    """Email the day's evaluation on one page (PDF) to the session's trainers, once."""
    from django.core.mail import EmailMessage

    from .reports import build_daily_debrief

    with transaction.atomic():
        survey = services.mark_debrief_sent(survey_id=survey_id)
        if survey is None:
            return False
        session = survey.cohort.session
        trainers = [email for email in session.trainers.values_list("email", flat=True) if email]
        if not trainers:
            return False
        language = session.locale.language_code
        with translation.override(language):
            context = {"session": session.localized, "survey": survey}
            subject = render_to_string("emails/debrief_subject.txt", context).strip()
            body = render_to_string("emails/debrief_body.txt", context)
            pdf = build_daily_debrief(survey=survey, language=language)
        message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, trainers)
        message.attach(f"debrief-{survey.opens_at:%Y%m%d}.pdf", pdf, "application/pdf")
        message.send()
    return True
