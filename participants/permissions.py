"""Who may do what with invitations, registrations and cohorts."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from courses.permissions import ALUMNI, is_organiser

__all__ = ["ALUMNI", "can_manage_cohorts"]


def can_manage_cohorts(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Invite, confirm, waitlist, cancel and export: organisers only (never partner editors)."""
    return is_organiser(user)
