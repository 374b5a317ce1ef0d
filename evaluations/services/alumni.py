"""The alumni network: what each alumnus shares in the directory, and the collaborations they record."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from courses.fragment_cache import touch
from participants.models import Profile, Registration, RegistrationStatus

from ..models import COLLABORATION_KINDS, Collaboration, DirectoryListing, Tie
from ..selectors.alumni import CHOICES_CACHE_KEY

__all__ = [
    "CollaborationError",
    "delete_collaboration",
    "forget_directory_choices",
    "leave_directory",
    "record_collaboration",
    "save_listing",
]

ALUMNUS_PROFILE_FIELDS = ("position", "country_of_posting", "languages")

# How far back a collaboration may be dated: the network is followed for a year or two after a session.
OLDEST_COLLABORATION = datetime.timedelta(days=5 * 365)


class CollaborationError(Exception):
    """A user-facing reason a collaboration cannot be recorded as given."""


@transaction.atomic
def save_listing(
    *,
    user,
    listed: bool,
    shared: Iterable[str],
    expertise: Iterable[str] = (),
    about: str = "",
    accepts_messages: bool = True,
    profile_fields: dict | None = None,
) -> DirectoryListing:
    """Whether the person is in the directory, which fields they share there, and the profile fields that change
    after a session (position, country of posting, languages). Takes effect at once."""  # fmt: skip
    shared = set(shared)
    unknown = shared - set(DirectoryListing.FIELDS)
    if unknown:
        raise ValueError(f"Unknown directory fields: {sorted(unknown)}")
    profile = Profile.objects.select_for_update().get(user=user)
    changed = set()
    if profile.listed_in_directory != listed:
        profile.listed_in_directory = listed
        profile.consents_updated_at = timezone.now()
        changed |= {"listed_in_directory", "consents_updated_at"}
    for name, value in (profile_fields or {}).items():
        if name not in ALUMNUS_PROFILE_FIELDS:
            raise ValueError(f"Not a field an alumnus changes here: {name}")
        if getattr(profile, name) != value:
            setattr(profile, name, value)
            changed.add(name)
    if changed:
        profile.full_clean(exclude=["organisation", "photo"])
        profile.save(update_fields=[*changed, "updated_at"])
    listing = DirectoryListing.objects.filter(user=user).first() or DirectoryListing(user=user)
    for field in DirectoryListing.FIELDS:
        setattr(listing, f"share_{field}", field in shared)
    listing.expertise = list(expertise)
    listing.about = about.strip()
    listing.accepts_messages = accepts_messages
    listing.full_clean()
    listing.save()
    transaction.on_commit(forget_directory_choices)
    return listing


def leave_directory(*, user) -> None:
    """Out of the directory at once: no card, no search result, no message. What they shared is kept for later."""
    Profile.objects.filter(user=user).update(
        listed_in_directory=False, consents_updated_at=timezone.now(), updated_at=timezone.now()
    )
    forget_directory_choices()


def forget_directory_choices() -> None:
    """The directory's filters and searches are cached; what a person shares changed, so they are read again."""
    cache.delete(CHOICES_CACHE_KEY)
    touch("directory", "network")


def _shared_cohort(reporter_id: int, other_id: int) -> int | None:
    """A cohort both attended (the most recent), or None for a tie across cohorts."""
    attended = Registration.objects.filter(status=RegistrationStatus.ATTENDED)
    mine = attended.filter(user_id=reporter_id).values("cohort_id")
    return (
        attended.filter(user_id=other_id, cohort_id__in=mine)
        .order_by("-cohort__session__end_date")
        .values_list("cohort_id", flat=True)
        .first()
    )


@transaction.atomic
def record_collaboration(
    *, reporter, kind: str, happened_on: datetime.date, people: Iterable[int], allowed: Iterable[int], note: str = ""
) -> Collaboration:
    """A collaboration with one or more alumni; each becomes a tie. Raises CollaborationError."""  # fmt: skip
    people = sorted({int(pk) for pk in people} - {reporter.pk})
    if not people:
        raise CollaborationError(_("Choose at least one person you worked with."))
    if set(people) - set(allowed):
        raise CollaborationError(_("You can record collaborations with alumni of your cohorts or of the directory."))
    if kind not in dict(COLLABORATION_KINDS):
        raise CollaborationError(_("Choose what kind of collaboration it was."))
    today = timezone.localdate()
    if happened_on > today:
        raise CollaborationError(_("The date cannot be in the future."))
    if happened_on < today - OLDEST_COLLABORATION:
        raise CollaborationError(_("The date is more than five years ago. Check the year."))
    first_session = (
        Registration.objects.filter(user=reporter, status=RegistrationStatus.ATTENDED)
        .order_by("cohort__session__start_date")
        .values_list("cohort__session__start_date", flat=True)
        .first()
    )
    # The network follows what the training changed: work together from before it is not its outcome.
    if first_session and happened_on < first_session:
        raise CollaborationError(
            _("The date is before your first session (%(date)s). Record what you did together since the training.")
            % {"date": formats.date_format(first_session, "DATE_FORMAT")}
        )
    collaboration = Collaboration.objects.create(reporter=reporter, kind=kind, happened_on=happened_on,
                                                 note=note.strip())  # fmt: skip
    Tie.objects.bulk_create(
        Tie(reporter=reporter, other_id=other_id, kind=kind, cohort_id=_shared_cohort(reporter.pk, other_id),
            source=Tie.Source.COLLABORATION, collaboration=collaboration, reported_on=happened_on)
        for other_id in people
    )  # fmt: skip
    touch("network")  # bulk_create sends no signal
    return collaboration


def delete_collaboration(*, reporter, pk: int) -> bool:
    """Remove one's own record and its ties. False when there is no such record of theirs."""
    deleted, _counts = Collaboration.objects.filter(pk=pk, reporter=reporter).delete()
    return bool(deleted)
