"""Emails to participants: in their language, and never twice for the same change."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import RegistrationEvent
from .selectors import get_waitlist_position


def send_registration_email(*, event_id: int) -> bool:
    """Tell the person what changed. Returns False when this change was already told (a retried task)."""
    with transaction.atomic():
        event = (
            RegistrationEvent.objects.select_for_update()
            .select_related("registration__user", "registration__cohort__session")
            .get(pk=event_id)
        )
        if event.notified_at is not None:
            return False
        registration = event.registration
        if not registration.user.is_active:  # an erased (or closed) account: nobody to tell, no address to keep
            event.notified_at = timezone.now()
            event.save(update_fields=["notified_at"])
            return False
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
        # Mark first, inside the transaction: if sending fails the mark is rolled back and the retry sends.
        event.notified_at = timezone.now()
        event.save(update_fields=["notified_at"])
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [registration.user.email])
    return True


def invitation_url(invitation) -> str:
    from django.urls import reverse

    from .tokens import make_token

    with translation.override(invitation.language):
        path = reverse("participants:invitation", kwargs={"token": make_token(invitation)})
    return settings.SITE_URL.rstrip("/") + path


def send_invitation_email(*, invitation_id: int) -> bool:
    """Send the invitation once per request to send it (first send and each resend). False when nothing was due."""
    from .models import Invitation

    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().select_related("cohort__session").get(pk=invitation_id)
        if invitation.sends_done >= invitation.sends_requested or invitation.status != Invitation.Status.PENDING:
            return False
        with translation.override(invitation.language):
            context = {
                "invitation": invitation,
                "session": invitation.cohort.session,
                "url": invitation_url(invitation),
            }
            subject = render_to_string("emails/invitation_subject.txt", context).strip()
            body = render_to_string("emails/invitation_body.txt", context)
        invitation.sends_done += 1
        invitation.last_sent_at = timezone.now()
        invitation.save(update_fields=["sends_done", "last_sent_at"])
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email])
    return True
