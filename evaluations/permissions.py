"""Who may do what with instruments, surveys and their results."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from courses.permissions import is_alumnus, is_organiser


def can_read_results(user: AbstractBaseUser | AnonymousUser) -> bool:
    return is_organiser(user)


def can_use_alumni_network(user: AbstractBaseUser | AnonymousUser) -> bool:
    """The directory, messages and collaborations: alumni, and organisers who look after them."""
    return is_organiser(user) or is_alumnus(user)


def can_read_network(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Network figures and maps with names, for every cohort and programme: organisers only."""
    return is_organiser(user)
