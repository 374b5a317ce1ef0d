"""Who may do what with instruments, surveys and their results."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from courses.permissions import is_organiser


def can_read_results(user: AbstractBaseUser | AnonymousUser) -> bool:
    return is_organiser(user)
