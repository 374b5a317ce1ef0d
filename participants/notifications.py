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

    application = (
        Application.objects.select_related("user__profile", "call__cohort__session").filter(pk=application_id).first()
    )
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


# --- Nominations ---


def _deadline_words(call) -> dict:
    """The call's deadline at the venue's wall clock, with its zone's name, in the active language."""
    from django.utils.formats import date_format

    from courses.l10n import time_zone_name

    zone = call.cohort.session.time_zone
    with timezone.override(zone):
        moment = date_format(timezone.localtime(call.deadline), "DATETIME_FORMAT")
    return {"deadline": moment, "zone": time_zone_name(zone, on=call.deadline)}


def nomination_link_url(link) -> str:
    from django.urls import reverse

    from .tokens import make_nomination_token

    with translation.override(link.language):
        path = reverse("participants:nominate", kwargs={"token": make_nomination_token(link)})
    return settings.SITE_URL.rstrip("/") + path


def owe_nomination_link_email(link, *, again: bool = False) -> bool:
    """The focal point's link, once per request (first send, each resend); a resend owes nothing while the last
    email has not left. Returns whether an email is now owed."""
    from courses.models import OutboundEmail

    prefix = f"nomination-link:{link.pk}:"
    if again:
        if OutboundEmail.objects.filter(key__startswith=prefix, sent_at__isnull=True, skipped=False,
                                        failed=False).exists():  # fmt: skip
            return False
        key = f"{prefix}{link.nonce}:{timezone.now().isoformat()}"
    else:
        key = f"{prefix}{link.nonce}"
    owe_email(key=key, builder="participants.notifications.build_nomination_link_email", args={"link_id": link.pk},
              on_sent="participants.notifications.nomination_link_email_sent")  # fmt: skip
    return True


def build_nomination_link_email(*, link_id: int) -> EmailMessage | None:
    """The focal point's personal link, in their language; None once the link is withdrawn or deleted."""
    from .models import NominationLink

    link = NominationLink.objects.select_related("call__cohort__session").filter(pk=link_id).first()
    if link is None or link.revoked_at is not None:
        return None
    with translation.override(link.language):
        context = {"link": link, "session": link.call.cohort.session.localized, "url": nomination_link_url(link),
                   **_deadline_words(link.call)}  # fmt: skip
        subject = render_to_string("emails/nomination_link_subject.txt", context).strip()
        body = render_to_string("emails/nomination_link_body.txt", context)
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [link.focal_point_email])


def nomination_link_email_sent(*, link_id: int) -> None:
    from .models import NominationLink

    NominationLink.objects.filter(pk=link_id).update(last_sent_at=timezone.now())


def owe_nomination_email(nomination, *, again: bool = False) -> None:
    """The nominee is asked to apply, once per nomination (a new one after a withdrawn nomination is renewed)."""
    key = f"nomination:{nomination.pk}" + (f":{timezone.now().isoformat()}" if again else "")
    owe_email(key=key, builder="participants.notifications.build_nomination_email",
              args={"nomination_id": nomination.pk})  # fmt: skip


def build_nomination_email(*, nomination_id: int) -> EmailMessage | None:
    """'You were nominated: complete an application', in the nominee's language, with the call's page and its
    deadline at the venue's time; None once the nomination is withdrawn or its person erased."""
    from django.urls import reverse

    from .models import Nomination

    nomination = Nomination.objects.select_related("link", "call__cohort__session").filter(pk=nomination_id).first()
    if nomination is None or nomination.withdrawn_at is not None or nomination.email.endswith(".invalid"):
        return None
    call = nomination.call
    with translation.override(nomination.language):
        url = settings.SITE_URL.rstrip("/") + reverse("participants:call", kwargs={"pk": call.pk})
        context = {"nomination": nomination, "session": call.cohort.session.localized, "url": url,
                   "opens_later": call.opens_at > timezone.now(), **_deadline_words(call)}  # fmt: skip
        if context["opens_later"]:
            from django.utils.formats import date_format

            with timezone.override(call.cohort.session.time_zone):
                context["opens"] = date_format(timezone.localtime(call.opens_at), "DATETIME_FORMAT")
        subject = render_to_string("emails/nomination_subject.txt", context).strip()
        body = render_to_string("emails/nomination_body.txt", context)
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [nomination.email])
