"""Who holds a role: Organisers, Trainers, Partner editors and each partner's editors' group. Alumni is kept in
step with attendance by the system (sync_alumni_group) and is never changed by hand."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext as _

from courses.permissions import ORGANISERS, PARTNER_EDITORS, ROLE_GROUPS

from .. import audit_details
from ..models import AuditEntry
from .audit import record_audit

__all__ = ["MembershipError", "add_to_role", "is_managed_group", "remove_from_role"]


class MembershipError(Exception):
    """A user-facing reason a person cannot be added to or removed from a role."""


def is_managed_group(group: Group) -> bool:
    """A role organisers hand out on their page: the three role groups and the partners' editors' groups."""
    return group.name in ROLE_GROUPS or hasattr(group, "partner_organisation")


def _log(*, by, added: bool, group: Group, user) -> None:
    details = audit_details.role_changed(added=added, role=group.name)
    record_audit(actor=by, action=AuditEntry.Action.ROLES, details=details, subject=user)


@transaction.atomic
def add_to_role(*, group: Group, email: str, by) -> list[Group]:
    """Add the person with this address to a role (and to Partner editors with a partner's group). Returns the
    groups they joined. Raises MembershipError."""
    if not is_managed_group(group):
        raise MembershipError(_("This group is not a role handed out here."))
    user = get_user_model().objects.filter(email__iexact=email.strip()).order_by("pk").first()
    if user is None:
        raise MembershipError(
            _("No account uses %(email)s. Ask the person to sign up first, then add them here.") % {"email": email}
        )
    if not user.is_active:
        raise MembershipError(_("The account of %(email)s is closed.") % {"email": user.email})
    groups = [group]
    if hasattr(group, "partner_organisation"):
        # A partner's group gives its programmes; Partner editors gives the editing interface itself.
        groups.append(Group.objects.get(name=PARTNER_EDITORS))
    joined = [g for g in groups if not user.groups.filter(pk=g.pk).exists()]
    if group not in joined:
        raise MembershipError(_("%(email)s is in this role already.") % {"email": user.email})
    user.groups.add(*joined)
    for each in joined:
        _log(by=by, added=True, group=each, user=user)
    return joined


@transaction.atomic
def remove_from_role(*, group: Group, user, by) -> None:
    """Take a person out of a role; an organiser never removes their own organiser role. Raises MembershipError."""
    if not is_managed_group(group):
        raise MembershipError(_("This group is not a role handed out here."))
    if group.name == ORGANISERS and user.pk == by.pk:
        raise MembershipError(_("You cannot remove yourself from the organisers: ask another organiser to do it."))
    if not user.groups.filter(pk=group.pk).exists():
        raise MembershipError(_("%(email)s is not in this role.") % {"email": user.email})
    user.groups.remove(group)
    _log(by=by, added=False, group=group, user=user)
