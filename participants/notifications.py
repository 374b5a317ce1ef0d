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
