"""Who may do what with courses. The bottom layer: roles are Django groups, checked here."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

ORGANISERS = "Organisers"
PARTNER_EDITORS = "Partner editors"
TRAINERS = "Trainers"
ROLE_GROUPS = (ORGANISERS, PARTNER_EDITORS, TRAINERS)


def _group_names(user) -> set[str]:
    if not user.is_authenticated:
        return set()
    # Cached on the user object: one query per request however often roles are asked.
    if not hasattr(user, "_attache_group_names"):
        user._attache_group_names = set(user.groups.values_list("name", flat=True))
    return user._attache_group_names


def is_organiser(user: AbstractBaseUser | AnonymousUser) -> bool:
    return user.is_authenticated and (user.is_superuser or ORGANISERS in _group_names(user))


def is_partner_editor(user: AbstractBaseUser | AnonymousUser) -> bool:
    return PARTNER_EDITORS in _group_names(user)


def is_trainer(user: AbstractBaseUser | AnonymousUser) -> bool:
    return TRAINERS in _group_names(user)


def requires_mfa(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Staff must use two-factor authentication: organisers, Django staff and superusers."""
    return user.is_authenticated and (user.is_staff or is_organiser(user))


def can_see_facilitator_notes(user: AbstractBaseUser | AnonymousUser) -> bool:
    return is_organiser(user) or is_trainer(user) or is_partner_editor(user)
