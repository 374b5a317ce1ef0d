"""Emails to participants, in their language. Each is owed through the outbox (courses.outbox) in the transaction
of the change, and built here when it is sent: None when it is no longer due."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation

from courses.outbox import owe_email

from .models import Invitation, RegistrationEvent
from .selectors import get_waitlist_position


def owe_registration_email(event: RegistrationEvent) -> None:
    """The person hears of this change once, after it is committed."""
    owe_email(
        key=f"registration-event:{event.pk}",
        builder="participants.notifications.build_registration_email",
        args={"event_id": event.pk},
        on_sent="participants.notifications.registration_email_sent",
    )


def build_registration_email(*, event_id: int) -> EmailMessage | None:
    """What changed, as the person reads it now; None for an erased or closed account (nobody to tell)."""
    event = RegistrationEvent.objects.select_related("registration__user", "registration__cohort__session").get(
        pk=event_id
    )
    registration = event.registration
    if not registration.user.is_active:
        return None
    with translation.override(registration.language):
        context = {
            "registration": registration,
            "event": event,
            "session": registration.cohort.session,
            "name": getattr(getattr(registration.user, "profile", None), "display_name", registration.user.email),
            "position": get_waitlist_position(registration=registration),
        }
        subject = render_to_string("emails/registration_subject.txt", context).strip()
        body = render_to_string("emails/registration_body.txt", context)
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [registration.user.email])


def registration_email_sent(*, event_id: int) -> None:
    RegistrationEvent.objects.filter(pk=event_id, notified_at__isnull=True).update(notified_at=timezone.now())


def invitation_url(invitation) -> str:
    from django.urls import reverse

    from .tokens import make_token

    with translation.override(invitation.language):
        path = reverse("participants:invitation", kwargs={"token": make_token(invitation)})
    return settings.SITE_URL.rstrip("/") + path


def owe_invitation_email(invitation: Invitation) -> None:
    """One email per request to send it (the first send and each resend)."""
    owe_email(
        key=f"invitation:{invitation.pk}:{invitation.sends_requested}",
        builder="participants.notifications.build_invitation_email",
        args={"invitation_id": invitation.pk},
        on_sent="participants.notifications.invitation_email_sent",
    )


def build_invitation_email(*, invitation_id: int) -> EmailMessage | None:
    """The invitation with its link; None once it has been answered or deleted."""
    invitation = Invitation.objects.select_related("cohort__session").filter(pk=invitation_id).first()
    if invitation is None or invitation.status != Invitation.Status.PENDING or invitation.email.endswith(".invalid"):
        return None  # answered, deleted, or its person erased since
    with translation.override(invitation.language):
        context = {"invitation": invitation, "session": invitation.cohort.session, "url": invitation_url(invitation)}
        subject = render_to_string("emails/invitation_subject.txt", context).strip()
        body = render_to_string("emails/invitation_body.txt", context)
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email])


def invitation_email_sent(*, invitation_id: int) -> None:
    Invitation.objects.filter(pk=invitation_id).update(sends_done=F("sends_done") + 1, last_sent_at=timezone.now())


def application_url(application) -> str:
    from django.urls import reverse

    with translation.override(application.language):
        path = reverse("participants:application", kwargs={"pk": application.pk})
    return settings.SITE_URL.rstrip("/") + path


def build_application_email(*, application_id: int) -> EmailMessage | None:
    """'We received your application', in the applicant's language; None for an erased or closed account."""
    from .models import Application

    application = Application.objects.select_related("user__profile", "call__cohort__session").filter(
        pk=application_id
    ).first()
    if application is None or not application.user.is_active:
        return None
    with translation.override(application.language):
        session = application.call.cohort.session.localized
        context = {
            "application": application, "session": session, "url": application_url(application),
            "name": getattr(getattr(application.user, "profile", None), "display_name", "") or application.user.email,
        }  # fmt: skip
        subject = render_to_string("emails/application_submitted_subject.txt", context).strip()
        body = render_to_string("emails/application_submitted_body.txt", context)
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [application.user.email])
