"""Nominations: an organiser gives a nominating organisation's focal point a personal link; the focal point
nominates up to N people, each asked by email to complete an application to the call."""

from __future__ import annotations

import secrets

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import audit_details
from ..models import Application, ApplicationStatus, AuditEntry, Call, Nomination, NominationLink
from ..notifications import owe_nomination_email, owe_nomination_link_email
from ..tokens import InvalidToken, read_nomination_token
from .audit import record_audit

__all__ = [
    "NominationError", "check_link_usable", "check_nominations_open", "create_nomination_link", "find_nomination",
    "get_nomination_link", "nominate", "resend_nomination_link", "withdraw_nomination", "withdraw_nomination_link",
]  # fmt: skip


class NominationError(Exception):
    """A user-facing reason a nomination link or a nomination cannot be created, sent or changed."""


def _verified_emails(user) -> list[str]:
    if not getattr(user, "is_authenticated", False):
        return []
    return [email.lower() for email in EmailAddress.objects.filter(user=user, verified=True).values_list(
        "email", flat=True)]  # fmt: skip


def find_nomination(*, call: Call, user) -> Nomination | None:
    """The nomination (not withdrawn) of one of the user's verified addresses to this call, if any."""
    emails = _verified_emails(user)
    if not emails:
        return None
    return (
        Nomination.objects.filter(call=call, email__in=emails, withdrawn_at__isnull=True).select_related("link").first()
    )


def link_nomination(*, application: Application) -> None:
    """Tie the applicant's nomination (if any, not tied yet) to their application: the focal point then sees its
    state and the organisers who nominated them."""
    nomination = find_nomination(call=application.call, user=application.user)
    if nomination is not None and nomination.application_id is None:
        Nomination.objects.filter(pk=nomination.pk, application__isnull=True).update(application=application)


def check_nominations_open(call: Call, *, now=None) -> None:
    """Raise NominationError unless people may still be nominated to this call."""
    now = now or timezone.now()
    if not call.published:
        raise NominationError(_("This call is not published: nominations are not possible."))
    if now >= call.deadline:
        raise NominationError(_("The deadline of this call has passed: no one can be nominated any more."))


def check_link_usable(link: NominationLink) -> None:
    """Raise NominationError if the organisers have withdrawn this link."""
    if link.revoked_at is not None:
        raise NominationError(
            _("The organisers have withdrawn this nomination link. Write to them if you think it is a mistake.")
        )


def get_nomination_link(*, token: str) -> NominationLink:
    """The link a focal point's address names. Raises InvalidToken for an altered or outdated address."""
    pk, nonce = read_nomination_token(token)
    try:
        return NominationLink.objects.select_related("call__cohort__session").get(pk=pk, nonce=nonce)
    except NominationLink.DoesNotExist as error:
        raise InvalidToken from error


def _checked(instance) -> None:
    try:
        instance.full_clean()
    except ValidationError as error:
        raise NominationError(" ".join(error.messages)) from error


@transaction.atomic
def create_nomination_link(*, call: Call, organisation_name: str, focal_point_name: str, focal_point_email: str,
                           language: str, max_nominees: int, by) -> NominationLink:  # fmt: skip
    """Give a focal point their personal link and email it to them, in their language (once per request, whatever
    the retries). A withdrawn link of the same focal point comes back with a new address. Raises NominationError."""
    call = Call.objects.select_for_update().get(pk=call.pk)
    check_nominations_open(call)
    email = focal_point_email.strip().lower()
    link = NominationLink.objects.filter(call=call, focal_point_email__iexact=email).first()
    if link is not None and link.revoked_at is None:
        raise NominationError(
            _("%(email)s already has a nomination link for this call: send it again from the list.") % {"email": email}
        )
    link = link or NominationLink(call=call, created_by=by)
    link.organisation_name = organisation_name.strip()
    link.focal_point_name = focal_point_name.strip()
    link.focal_point_email = email
    link.language = language
    link.max_nominees = max_nominees
    link.nonce = secrets.token_hex(16)  # a withdrawn link's old address stays dead
    link.revoked_at = None
    _checked(link)
    link.save()
    owe_nomination_link_email(link)
    record_audit(actor=by, action=AuditEntry.Action.SETTINGS, cohort_id=call.cohort_id,
                 details=audit_details.nomination_link(added=True, organisation=link.organisation_name,
                                                       email=link.focal_point_email))  # fmt: skip
    return link


@transaction.atomic
def resend_nomination_link(*, link: NominationLink, by) -> NominationLink:
    """Email the focal point their link again; nothing more while the last one is still on its way. Raises
    NominationError."""
    link = NominationLink.objects.select_for_update().select_related("call").get(pk=link.pk)
    check_link_usable(link)
    check_nominations_open(link.call)
    if not owe_nomination_link_email(link, again=True):
        raise NominationError(_("The last email to this focal point has not left yet: it will, in a few minutes."))
    return link


@transaction.atomic
def withdraw_nomination_link(*, link: NominationLink, by) -> NominationLink:
    """Close a focal point's link: its address then says it was withdrawn. People already nominated stay
    nominated. Raises NominationError."""
    link = NominationLink.objects.select_for_update().select_related("call").get(pk=link.pk)
    check_link_usable(link)
    link.revoked_at = timezone.now()
    link.save(update_fields=["revoked_at"])
    record_audit(actor=by, action=AuditEntry.Action.SETTINGS, cohort_id=link.call.cohort_id,
                 details=audit_details.nomination_link(added=False, organisation=link.organisation_name,
                                                       email=link.focal_point_email))  # fmt: skip
    return link


def _existing_application(call: Call, email: str) -> Application | None:
    """An application someone with this verified address already made to the call (an open call)."""
    users = EmailAddress.objects.filter(email__iexact=email, verified=True).values("user_id")
    return Application.objects.filter(call=call, user_id__in=users, nomination__isnull=True).first()


@transaction.atomic
def nominate(*, link: NominationLink, full_name: str, email: str, position: str, language: str,
             now=None) -> Nomination:  # fmt: skip
    """Nominate one person through a focal point's link, up to its limit (withdrawn nominations do not count),
    before the deadline; the nominee is emailed in their language. Raises NominationError."""
    link = NominationLink.objects.select_for_update().select_related("call").get(pk=link.pk)
    call = link.call
    check_link_usable(link)
    check_nominations_open(call, now=now)
    taken = Nomination.objects.filter(link=link, withdrawn_at__isnull=True).count()
    if taken >= link.max_nominees:
        raise NominationError(
            _("You have nominated as many people as this link allows (%(count)s). Withdraw a nomination to make room.")
            % {"count": link.max_nominees}
        )
    email = email.strip().lower()
    nomination = Nomination.objects.select_for_update().filter(call=call, email__iexact=email).first()
    if nomination is not None and nomination.withdrawn_at is None:
        # Whoever nominated them: a focal point learns nothing of another organisation's nominations.
        raise NominationError(_("This person has already been nominated to this call."))
    again = nomination is not None
    nomination = nomination or Nomination(call=call)
    nomination.link = link
    nomination.full_name = full_name.strip()
    nomination.email = email
    nomination.position = position.strip()
    nomination.language = language
    nomination.withdrawn_at = None
    _checked(nomination)
    nomination.save()
    if nomination.application_id is None and (application := _existing_application(call, email)) is not None:
        nomination.application = application
        nomination.save(update_fields=["application"])
    owe_nomination_email(nomination, again=again)
    return nomination


@transaction.atomic
def withdraw_nomination(*, link: NominationLink, nomination: Nomination) -> Nomination:
    """The focal point takes back one of their nominations, before the nominee has submitted an application.
    Raises NominationError."""
    link = NominationLink.objects.select_for_update().get(pk=link.pk)
    check_link_usable(link)
    nomination = Nomination.objects.select_for_update(of=("self",)).select_related("application").get(pk=nomination.pk)
    if nomination.link_id != link.pk:
        raise ValueError("A nomination of another link.")
    if nomination.withdrawn_at is not None:
        raise NominationError(_("This nomination is already withdrawn."))
    if nomination.application is not None and nomination.application.status != ApplicationStatus.DRAFT:
        raise NominationError(_("This person has submitted their application: the nomination can no longer be "
                                "withdrawn. Write to the organisers if needed."))  # fmt: skip
    nomination.withdrawn_at = timezone.now()
    nomination.save(update_fields=["withdrawn_at"])
    return nomination
