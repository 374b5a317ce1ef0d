"""Background jobs of the participants app. They take primary keys and call services."""

from . import notifications


def send_registration_email(event_id: int) -> None:
    notifications.send_registration_email(event_id=event_id)


def send_invitation_email(invitation_id: int) -> None:
    notifications.send_invitation_email(invitation_id=invitation_id)


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
