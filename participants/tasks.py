"""Background jobs of the participants app. They take primary keys and call services."""

from . import notifications

# Emails go through the outbox (courses.tasks). These two take the tasks queued before it existed.


def send_registration_email(event_id: int) -> None:
    from .models import RegistrationEvent

    event = RegistrationEvent.objects.filter(pk=event_id, notified_at__isnull=True).first()
    if event is not None:
        notifications.owe_registration_email(event)


def send_invitation_email(invitation_id: int) -> None:
    from .models import Invitation

    invitation = Invitation.objects.filter(pk=invitation_id).first()
    if invitation is not None and invitation.sends_done < invitation.sends_requested:
        notifications.owe_invitation_email(invitation)


def close_finished_sessions() -> list[int]:
    from . import services

    return services.close_finished_sessions()


def build_session_pack(pack_id: int) -> None:
    from . import services

    services.build_pack(pack_id=pack_id)


def sync_alumni_group() -> tuple[int, int]:
    from . import services

    return services.sync_alumni_group()


def purge_unanswered_invitations() -> int:
    from . import services

    return services.purge_unanswered_invitations()


def forget_old_audit_entries() -> int:
    from . import services

    return services.forget_old_audit_entries()
