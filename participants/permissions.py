"""Who may do what with invitations, registrations and cohorts."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from courses.permissions import is_organiser

# People who attended a session (kept in sync by services.sync_alumni).
ALUMNI = "Alumni"


def can_manage_cohorts(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Invite, confirm, waitlist, cancel and export: organisers only (never partner editors)."""
    return is_organiser(user)
