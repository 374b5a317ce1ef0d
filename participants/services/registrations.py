"""The rules of a cohort: capacity, sector balance, waitlists. Every write that matters goes through here."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from courses.models import Sector

from ..models import SEATED, Cohort, Invitation, Profile, Registration, RegistrationEvent, RegistrationStatus
from ..notifications import owe_registration_email
from ..selectors import count_seated_by_sector, count_seated_from_country

WITHDRAWN = (RegistrationStatus.DECLINED, RegistrationStatus.CANCELLED)


class AdmissionError(Exception):
    """A user-facing reason the participant cannot take a seat in the cohort."""


class RegistrationError(Exception):
    """A user-facing reason a registration cannot change as asked."""


def check_admission(*, cohort: Cohort, counts: Mapping[str, int], sector: str, from_country: int = 0) -> None:
    """Raise AdmissionError if one more confirmed person of `sector` would break capacity, balance or country cap."""
    if sum(counts.values()) >= cohort.capacity:
        raise AdmissionError(_("This cohort is full."))
    if counts.get(sector, 0) + 1 > cohort.ceiling(sector):
        raise AdmissionError(_("This cohort already has as many participants from that sector as its balance allows."))
    if cohort.max_per_country is not None and from_country + 1 > cohort.max_per_country:
        raise AdmissionError(_("This cohort already has as many participants from that country as it allows."))


def _lock(cohort: Cohort) -> Cohort:
    # One row lock per transaction, taken before counting: two people must never both take the last seat.
    # PostgreSQL honours FOR UPDATE; SQLite runs each transaction with BEGIN IMMEDIATE (see settings).
    return Cohort.objects.select_for_update().get(pk=cohort.pk)


def _held_for_selection(cohort: Cohort, *, exclude: int | None = None) -> tuple[Counter, Counter]:
    """The seats held for people selected from the call who have not answered their invitation yet (by sector, by
    country): their seat was chosen in the balance, so nobody else takes it meanwhile."""
    held = Invitation.objects.filter(
        cohort=cohort, application__isnull=False, status=Invitation.Status.PENDING, expires_at__gt=timezone.now()
    )
    if exclude is not None:
        held = held.exclude(pk=exclude)
    rows = list(held.values_list("intended_sector", "country"))
    return Counter(sector for sector, _country in rows), Counter(country for _sector, country in rows if country)


def _taken(cohort: Cohort, *, holding_for: int | None = None) -> Counter:
    """Seats taken by sector: the seated, and those held for selected people (but for invitation `holding_for`)."""
    return Counter(count_seated_by_sector(cohort=cohort)) + _held_for_selection(cohort, exclude=holding_for)[0]


def _check_seat(cohort: Cohort, registration: Registration, *, holding_for: int | None = None) -> None:
    """Raise AdmissionError if this registration cannot take a seat now (counts taken under the cohort lock)."""
    by_sector, by_country = _held_for_selection(cohort, exclude=holding_for)
    from_country = 0
    if registration.country:
        from_country = count_seated_from_country(cohort=cohort, country=registration.country)
        from_country += by_country[registration.country]
    check_admission(
        cohort=cohort,
        counts=Counter(count_seated_by_sector(cohort=cohort)) + by_sector,
        sector=registration.sector,
        from_country=from_country,
    )


def _admissible(cohort: Cohort, registration: Registration, *, holding_for: int | None = None) -> bool:
    try:
        _check_seat(cohort, registration, holding_for=holding_for)
    except AdmissionError:
        return False
    return True


def _log(registration, kind, *, from_status="", actor=None, reason="", notify: bool = True) -> RegistrationEvent:
    event = RegistrationEvent.objects.create(
        registration=registration, kind=kind, from_status=from_status, to_status=registration.status,
        actor=actor, reason=reason,
    )  # fmt: skip
    # The person hears of every change, once: the email is owed in this transaction and leaves after commit.
    if notify:
        owe_registration_email(event)
    return event


def _set_status(registration, status, *, kind, actor=None, reason="", notify: bool = True) -> Registration:
    previous = registration.status
    registration.status = status
    registration.decided_by = actor
    registration.decided_at = timezone.now()
    registration.decision_reason = reason
    registration.save()
    _log(registration, kind, from_status=previous, actor=actor, reason=reason, notify=notify)
    return registration


@transaction.atomic
def register(*, cohort: Cohort, user, logistics: Mapping | None = None,
             selected: Invitation | None = None) -> Registration:  # fmt: skip
    """Apply to a cohort: confirmed at once when the rules allow and the cohort confirms automatically,
    waitlisted when it is full for that sector, else left for an organiser. Raises RegistrationError.

    `selected`: the invitation of someone selected from the call. Their seat was chosen in the balance: they are
    confirmed when the rules allow (whatever `auto_confirm` and the registration dates), else waitlisted."""
    cohort = _lock(cohort)
    if Registration.objects.filter(cohort=cohort, user=user).exists():
        raise RegistrationError(_("You have already registered for this session."))
    now = timezone.now()
    # Someone selected from the call answers within their invitation's own validity, not the registration dates.
    if selected is None and cohort.registration_opens and now < cohort.registration_opens:
        raise RegistrationError(
            _("Registration opens on %(date)s.")
            % {"date": date_format(timezone.localtime(cohort.registration_opens), "DATE_FORMAT")}
        )
    if selected is None and cohort.registration_closes and now > cohort.registration_closes:
        raise RegistrationError(
            _("Registration closed on %(date)s. Write to the organisers if you still hope to join.")
            % {"date": date_format(timezone.localtime(cohort.registration_closes), "DATE_FORMAT")}
        )
    profile = getattr(user, "profile", None)
    registration = Registration(
        cohort=cohort,
        user=user,
        sector=profile.sector if profile else Sector.OTHER,
        country=str(profile.nationality) if profile and profile.nationality else "",
        **(logistics or {}),
    )
    registration.full_clean(exclude=["user", "cohort"])
    admissible = _admissible(cohort, registration, holding_for=selected.pk if selected is not None else None)
    if admissible and (cohort.auto_confirm or selected is not None):
        registration.status = RegistrationStatus.CONFIRMED
    elif not admissible:
        registration.status = RegistrationStatus.WAITLISTED
    else:
        registration.status = RegistrationStatus.REGISTERED  # an organiser decides
    registration.save()
    _log(registration, RegistrationEvent.Kind.APPLIED, actor=user)
    return registration


@transaction.atomic
def confirm_registration(*, registration: Registration, by, reason: str = "") -> Registration:
    """An organiser confirms a registration within the rules. Raises AdmissionError or RegistrationError."""
    cohort = _lock(registration.cohort)
    registration = Registration.objects.get(pk=registration.pk)
    if registration.status in SEATED:
        raise RegistrationError(_("This registration is already confirmed."))
    if registration.status in WITHDRAWN:
        raise RegistrationError(_("This person has declined or cancelled; they must register again."))
    _check_seat(cohort, registration)
    return _set_status(registration, RegistrationStatus.CONFIRMED, kind=RegistrationEvent.Kind.DECISION, actor=by,
                       reason=reason)  # fmt: skip


@transaction.atomic
def waitlist_registration(*, registration: Registration, by, reason: str = "") -> Registration:
    """An organiser moves a registration to its sector's waitlist; a freed seat is offered at once."""
    cohort = _lock(registration.cohort)
    registration = Registration.objects.get(pk=registration.pk)
    if registration.status in WITHDRAWN:
        raise RegistrationError(_("This person has declined or cancelled; they must register again."))
    _refuse_after_the_session(registration)
    was_seated = registration.status in SEATED
    _set_status(registration, RegistrationStatus.WAITLISTED, kind=RegistrationEvent.Kind.DECISION, actor=by,
                reason=reason)  # fmt: skip
    if was_seated:
        _promote(cohort, exclude=registration.pk)
    return registration


def _refuse_after_the_session(registration: Registration) -> None:
    """Attended and no-show come from the attendance (corrected there, with a reason), never from a decision."""
    if registration.status in (RegistrationStatus.ATTENDED, RegistrationStatus.NO_SHOW):
        raise RegistrationError(_("The session is over: correct the attendance instead."))


@transaction.atomic
def withdraw_registration(*, registration: Registration, by, status: str = RegistrationStatus.CANCELLED,
                          reason: str = "") -> Registration:  # fmt: skip
    """The person declines or cancels (or an organiser cancels for them); the waitlist moves up."""
    if status not in WITHDRAWN:
        raise ValueError(status)
    cohort = _lock(registration.cohort)
    registration = Registration.objects.get(pk=registration.pk)
    if registration.status in WITHDRAWN:
        return registration
    if registration.status in (RegistrationStatus.ATTENDED, RegistrationStatus.NO_SHOW):
        raise RegistrationError(_("The session is over: this registration can no longer be cancelled."))
    _set_status(registration, status, kind=RegistrationEvent.Kind.WITHDRAWAL, actor=by, reason=reason)
    _promote(cohort)
    return registration


# The registrations their person (or an organiser) may still cancel.
CANCELLABLE = (RegistrationStatus.REGISTERED, RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)


def describe_withdrawal(*, registration: Registration) -> dict:
    """What cancelling this registration would do, for the page that asks to confirm it: whether it gives up a
    seat, and how many people are waiting for one (the first in line would be seated and emailed)."""
    frees_seat = registration.status in SEATED
    waiting = Registration.objects.filter(cohort_id=registration.cohort_id, status=RegistrationStatus.WAITLISTED)
    return {"frees_seat": frees_seat, "waiting": waiting.exclude(pk=registration.pk).count() if frees_seat else 0}


def decision_needs_confirmation(*, action: str, registration: Registration) -> bool:
    """An organiser's decision that cannot be taken back is asked to be confirmed first: a cancellation, and
    moving a confirmed person to the waitlist (their seat goes at once to the next in line)."""
    return action == "cancel" or (action == "waitlist" and registration.status in SEATED)


@transaction.atomic
def override_decision(*, registration: Registration, status: str, by, reason: str) -> Registration:
    """An organiser sets a status outside the balance rules, with a written reason that is logged.

    Capacity still holds: no override seats a person in a full cohort. Raises AdmissionError or RegistrationError.
    """
    if not reason.strip():
        raise RegistrationError(_("Write down why the rules are set aside for this person."))
    cohort = _lock(registration.cohort)
    registration = Registration.objects.get(pk=registration.pk)
    _refuse_after_the_session(registration)
    was_seated = registration.status in SEATED
    if status in SEATED and not was_seated:
        if sum(count_seated_by_sector(cohort=cohort).values()) >= cohort.capacity:
            raise AdmissionError(_("This cohort is full."))
    _set_status(registration, status, kind=RegistrationEvent.Kind.OVERRIDE, actor=by, reason=reason.strip())
    if was_seated and status not in SEATED:
        _promote(cohort, exclude=registration.pk)
    return registration


def _promote(cohort: Cohort, exclude: int | None = None) -> list[Registration]:
    """Fill free seats from the waitlists: the sector furthest below its target first, then by application time."""
    promoted = []
    while True:
        counts = _taken(cohort)
        if sum(counts.values()) >= cohort.capacity:
            return promoted
        candidates = [r for r in _first_in_line_by_sector(cohort, exclude) if _admissible(cohort, r)]
        if not candidates:
            return promoted
        chosen = min(
            candidates,
            key=lambda r: (counts.get(r.sector, 0) - cohort.target_seats(r.sector), r.applied_at, r.id),
        )
        _set_status(chosen, RegistrationStatus.CONFIRMED, kind=RegistrationEvent.Kind.PROMOTION)
        promoted.append(chosen)


def _first_in_line_by_sector(cohort: Cohort, exclude: int | None) -> list[Registration]:
    """The earliest waitlisted registration of each sector (and country, when a country cap applies)."""
    waitlist = Registration.objects.filter(cohort=cohort, status=RegistrationStatus.WAITLISTED).order_by(
        "applied_at", "id"
    )
    if exclude is not None:
        waitlist = waitlist.exclude(pk=exclude)
    firsts: dict[tuple, Registration] = {}
    for registration in waitlist:
        key = (registration.sector, registration.country if cohort.max_per_country else "")
        firsts.setdefault(key, registration)
    return list(firsts.values())


@transaction.atomic
def promote_waitlist(*, cohort: Cohort) -> list[Registration]:
    """Offer every free seat to the waitlists (after capacity is raised, say). Returns who was promoted."""
    return _promote(_lock(cohort))


CONSENT_FIELDS = ("listed_in_directory", "consent_photo", "consent_share_contact")


@transaction.atomic
def save_profile(*, user, data: Mapping) -> Profile:
    """Create or update a person's profile; a change of consent is dated. A photo is kept only with the consent to
    show it: withdrawing the consent deletes it, as does clearing or replacing it."""
    profile = Profile.objects.filter(user=user).first() or Profile(user=user)
    consents_before = {name: getattr(profile, name) for name in CONSENT_FIELDS}
    photo_before = profile.photo.name
    for name, value in data.items():
        # As a model form saves: for the photo, None is "no change" and False is "clear".
        Profile._meta.get_field(name).save_form_data(profile, value)
    if not profile.consent_photo:
        profile.photo = ""
    if profile.pk is None or any(getattr(profile, name) != before for name, before in consents_before.items()):
        profile.consents_updated_at = timezone.now()
    profile.full_clean(exclude=["user"])
    profile.save()
    if photo_before and profile.photo.name != photo_before:
        # After the commit: until then the row still names the old file.
        transaction.on_commit(partial(profile.photo.storage.delete, photo_before))
    return profile


@transaction.atomic
def create_cohort(*, session, created_by=None) -> Cohort:
    """The cohort of a session, with the house defaults (36 seats, 50 % / 50 % ± 10). Raises RegistrationError."""
    if Cohort.objects.filter(session=session).exists():
        raise RegistrationError(_("This session already has its cohort."))
    cohort = Cohort(session=session)
    cohort.full_clean()
    cohort.save()
    return cohort
