"""Who may do what with courses. The bottom layer: roles are Django groups, checked here."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

ORGANISERS = "Organisers"
PARTNER_EDITORS = "Partner editors"
TRAINERS = "Trainers"
# Read and score the applications of the calls they are given (participants.CallReviewer), nothing else.
REVIEWERS = "Reviewers"
ROLE_GROUPS = (ORGANISERS, PARTNER_EDITORS, TRAINERS, REVIEWERS)
# People who attended a session (participants keeps the group in sync); the alumni space's pages are theirs.
ALUMNI = "Alumni"


def role_label(name: str) -> str:
    """A role's name in the reader's language; a partner's editors' group keeps its own name."""
    from django.utils.translation import pgettext

    labels = {
        ORGANISERS: pgettext("role", "Organisers"),
        TRAINERS: pgettext("role", "Trainers"),
        PARTNER_EDITORS: pgettext("role", "Partner editors"),
        REVIEWERS: pgettext("role", "Reviewers"),
    }
    return labels.get(name, name)


def _group_names(user) -> frozenset[str]:
    # From the shared cache, kept on the user object for the request: no query however often roles are asked.
    from .access import access_of

    return access_of(user).groups


def is_alumnus(user: AbstractBaseUser | AnonymousUser) -> bool:
    return ALUMNI in _group_names(user)


def is_organiser(user: AbstractBaseUser | AnonymousUser) -> bool:
    return user.is_authenticated and (user.is_superuser or ORGANISERS in _group_names(user))


def is_partner_editor(user: AbstractBaseUser | AnonymousUser) -> bool:
    return PARTNER_EDITORS in _group_names(user)


def is_trainer(user: AbstractBaseUser | AnonymousUser) -> bool:
    return TRAINERS in _group_names(user)


def is_reviewer(user: AbstractBaseUser | AnonymousUser) -> bool:
    return REVIEWERS in _group_names(user)


def requires_mfa(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Staff must use two-factor authentication: organisers, Django staff and superusers."""
    return user.is_authenticated and (user.is_staff or is_organiser(user))


def is_partner_editor_of(user: AbstractBaseUser | AnonymousUser, programme) -> bool:
    """A member of the editors' group of one of the organisations that co-own the programme."""
    if not is_partner_editor(user) or programme is None:
        return False
    group_ids = set(programme.specific.partners.exclude(editor_group=None).values_list("editor_group_id", flat=True))
    return bool(group_ids & set(user.groups.values_list("id", flat=True)))


def can_see_facilitator_notes(user: AbstractBaseUser | AnonymousUser, programme=None) -> bool:
    """Trainers and organisers see every module's notes; a partner editor only their programmes'."""
    return is_organiser(user) or is_trainer(user) or is_partner_editor_of(user, programme)
