"""Invitations: one personal, signed, single-use link per invited person."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ..models import Cohort, Invitation, Registration
from ..notifications import owe_invitation_email
from ..tokens import InvalidToken, read_token
from .registrations import RegistrationError, promote_waitlist, register


class InvitationError(Exception):
    """A user-facing reason an invitation cannot be created, sent or used."""


def _invitation_ttl() -> timedelta:
    return timedelta(days=getattr(settings, "INVITATION_VALID_DAYS", 21))


@transaction.atomic
def invite_person(*, cohort: Cohort, email: str, intended_sector: str, invited_by, full_name: str = "",
                  country: str = "", language: str | None = None) -> Invitation:  # fmt: skip
    """Invite one person to a cohort; the email leaves after commit. Raises InvitationError."""
    email = email.strip().lower()
    if Invitation.objects.filter(cohort=cohort, email__iexact=email).exists():
        raise InvitationError(_("%(email)s is already invited to this session.") % {"email": email})
    invitation = Invitation(
        cohort=cohort, email=email, intended_sector=intended_sector, full_name=full_name.strip(), country=country,
        language=language or settings.LANGUAGE_CODE, invited_by=invited_by, nonce=secrets.token_hex(16),
        expires_at=timezone.now() + _invitation_ttl(),
    )  # fmt: skip
    try:
        invitation.full_clean()
    except ValidationError as error:
        raise InvitationError(" ".join(error.messages)) from error
    invitation.save()
    owe_invitation_email(invitation)
    return invitation


@transaction.atomic
def resend_invitation(*, invitation: Invitation, by) -> Invitation:
    """Email the invitation again and extend its link; a retried job never sends twice. Raises InvitationError."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status != Invitation.Status.PENDING:
        raise InvitationError(_("This invitation has already been answered."))
    invitation.expires_at = timezone.now() + _invitation_ttl()
    invitation.sends_requested += 1
    invitation.save(update_fields=["expires_at", "sends_requested"])
    owe_invitation_email(invitation)
    return invitation


def get_invitation(*, token: str) -> Invitation:
    """The invitation a link names. Raises InvalidToken for an altered or outdated link."""
    pk, nonce = read_token(token)
    try:
        return Invitation.objects.select_related("cohort__session").get(pk=pk, nonce=nonce)
    except Invitation.DoesNotExist as error:
        raise InvalidToken from error


def check_invitation_open(invitation: Invitation) -> None:
    """Raise InvitationError saying why a link can no longer be used."""
    if invitation.status == Invitation.Status.ACCEPTED:
        raise InvitationError(_("This invitation has already been used. Sign in to see your registration."))
    if invitation.status == Invitation.Status.DECLINED:
        raise InvitationError(_("You declined this invitation. Write to the organisers if you changed your mind."))
    if invitation.status == Invitation.Status.REVOKED:
        raise InvitationError(_("The organisers have withdrawn this invitation."))
    if invitation.expires_at <= timezone.now():
        raise InvitationError(
            _("This invitation expired on %(date)s. Ask the organisers to send you a new link.")
            % {"date": date_format(timezone.localtime(invitation.expires_at), "DATE_FORMAT")}
        )


def _same_email(user, email: str) -> bool:
    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


def check_invitation_for(invitation: Invitation, user) -> None:
    """Raise InvitationError unless the signed-in person owns the invited (verified) address."""
    if not _same_email(user, invitation.email):
        raise InvitationError(
            _("This invitation was sent to another email address. Sign out, then sign in with the invited address.")
        )


@transaction.atomic
def accept_invitation(*, invitation: Invitation, user, logistics: Mapping | None = None) -> Registration:
    """Register the invited person for the cohort (confirmed or waitlisted by the rules; someone selected from the
    call is confirmed when the rules allow, see `register`). Raises InvitationError."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    check_invitation_open(invitation)
    check_invitation_for(invitation, user)
    try:
        registration = register(cohort=invitation.cohort, user=user, logistics=logistics,
                                selected=invitation if invitation.application_id else None)  # fmt: skip
    except RegistrationError as error:
        raise InvitationError(str(error)) from error
    invitation.status = Invitation.Status.ACCEPTED
    invitation.accepted_at = timezone.now()
    invitation.registration = registration
    invitation.save(update_fields=["status", "accepted_at", "registration"])
    return registration


@transaction.atomic
def decline_invitation(*, invitation: Invitation) -> Invitation:
    """The invitee cannot come; they may reopen it until reopen_deadline(). Raises InvitationError."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    check_invitation_open(invitation)
    invitation.status = Invitation.Status.DECLINED
    invitation.save(update_fields=["status"])
    if invitation.application_id:  # the seat held for them goes to the reserve list
        promote_waitlist(cohort=invitation.cohort)
    return invitation


def reopen_deadline(invitation: Invitation) -> datetime:
    """Until when the invitee may take back their decline: while both the link and the cohort's registration are
    open (whichever ends first)."""
    closes = invitation.cohort.registration_closes
    return min(invitation.expires_at, closes) if closes else invitation.expires_at


def check_invitation_reopenable(invitation: Invitation, *, now: datetime | None = None) -> None:
    """Raise InvitationError saying why the invitee can no longer reopen a declined invitation."""
    if invitation.status != Invitation.Status.DECLINED:
        raise InvitationError(_("This invitation is not declined: there is nothing to reopen."))
    now = now or timezone.now()
    closes = invitation.cohort.registration_closes
    if closes and now > closes:
        raise InvitationError(
            _("It is too late to reopen this invitation: registration closed on %(date)s.")
            % {"date": date_format(timezone.localtime(closes), "DATE_FORMAT")}
        )
    if invitation.expires_at <= now:
        raise InvitationError(
            _("It is too late to reopen this invitation: its link expired on %(date)s.")
            % {"date": date_format(timezone.localtime(invitation.expires_at), "DATE_FORMAT")}
        )


@transaction.atomic
def reopen_invitation(*, invitation: Invitation, by=None) -> Invitation:
    """Put a declined invitation back to not answered, so that its person can register with the same link.

    The invitee (by=None) may do so until reopen_deadline(); an organiser (by) at any time: the organiser may also
    move the registration dates or send the link again. Nobody is emailed. Raises InvitationError."""
    invitation = Invitation.objects.select_for_update().select_related("cohort").get(pk=invitation.pk)
    if by is None:
        check_invitation_reopenable(invitation)
    elif invitation.status != Invitation.Status.DECLINED:
        raise InvitationError(_("This invitation is not declined: there is nothing to reopen."))
    invitation.status = Invitation.Status.PENDING
    invitation.save(update_fields=["status"])
    return invitation
