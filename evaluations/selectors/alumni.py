"""Reads for the alumni network's directory. A card carries only what its person chose to share."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet

from courses.models import Organisation, Sector, kinds_of_sector
from courses.vocabulary import DELIVERY_LANGUAGES, Theme
from participants.models import Cohort, Profile, Registration, RegistrationStatus, fold
from participants.people import Person, person_of
from participants.permissions import ALUMNI

from ..models import Collaboration, DirectoryListing, Tie

__all__ = [
    "Card",
    "as_alumni_see",
    "list_allowed_collaborators",
    "list_cohort_mates",
    "list_collaborations",
    "list_unconfirmed_ties",
    "DirectoryFilters",
    "get_card",
    "get_listing",
    "list_directory_choices",
    "list_listed_alumni",
    "list_names",
    "list_people",
    "search_directory",
]

PAGE_SIZE = 20
CHOICES_CACHE_KEY = "alumni-directory-choices"
CHOICES_CACHE_SECONDS = 600


@dataclass
class Card:
    """One alumnus as the directory shows them: every attribute is empty unless they share it."""

    user_id: int
    name: str
    full_name: str = ""  # the passport name, when the preferred name differs (both are searched)
    native_name: str = ""
    sector: str = ""
    sector_label: str = ""
    organisation: str = ""
    position: str = ""
    country: str = ""
    country_name: str = ""
    languages: list[str] = field(default_factory=list)
    expertise: list[str] = field(default_factory=list)
    cohorts: list[str] = field(default_factory=list)
    about: str = ""
    accepts_messages: bool = False

    def as_json(self) -> dict:
        return {
            key: value
            for key, value in self.__dict__.items()
            if value not in ("", [], None) and key not in ("accepts_messages",)
        }


@dataclass
class DirectoryFilters:
    q: str = ""
    country: str = ""
    sector: str = ""
    organisation: int | None = None
    cohort: int | None = None
    language: str = ""
    expertise: str = ""

    def any(self) -> bool:
        return any(value not in ("", None) for value in self.__dict__.values())


def list_listed_alumni() -> QuerySet:
    """People in the Alumni group who said yes to the directory, now (leaving it takes effect at once)."""
    return get_user_model().objects.filter(is_active=True, groups__name=ALUMNI, profile__listed_in_directory=True)


def _filtered(filters: DirectoryFilters) -> QuerySet:
    """A filter matches only a field its person shares: a hidden field can never be found by filtering on it."""
    people = list_listed_alumni()
    if filters.q.strip():
        people = people.filter(_matching(filters.q))
    if filters.country:
        people = people.filter(listing__share_country=True).filter(
            Q(profile__country_of_posting=filters.country)
            | Q(profile__country_of_posting="", profile__nationality=filters.country)
        )
    if filters.sector in Sector.values:
        in_sector = Q(profile__organisation__kind__in=kinds_of_sector(filters.sector))
        if filters.sector == Sector.OTHER:
            in_sector |= Q(profile__organisation__isnull=True)
        people = people.filter(in_sector, listing__share_sector=True)
    if filters.organisation:
        people = people.filter(listing__share_organisation=True, profile__organisation_id=filters.organisation)
    if filters.cohort:
        attended = Registration.objects.filter(cohort_id=filters.cohort, status=RegistrationStatus.ATTENDED)
        people = people.filter(listing__share_cohorts=True, pk__in=attended.values("user_id"))
    if filters.language:
        people = people.filter(listing__share_languages=True, profile__languages__icontains=f'"{filters.language}"')
    if filters.expertise:
        people = people.filter(listing__share_expertise=True, listing__expertise__icontains=f'"{filters.expertise}"')
    return people


def _matching(query: str) -> Q:
    """The search box finds what a card prints: each word of the query in the name or passport name, or in the
    native name, organisation or country of someone who shares it (folded: no case, no accents, any script)."""
    from django_countries import countries

    words = fold(query).split()
    organisations = [(pk, fold(name)) for pk, name in Organisation.objects.values_list("pk", "name")]
    country_names = [(code, fold(str(name))) for code, name in countries]
    matches = Q()
    for word in words[:10]:
        found = Q(profile__name_key__contains=word) | Q(
            listing__share_native_name=True, profile__native_name_key__contains=word
        )
        in_organisations = [pk for pk, name in organisations if word in name]
        if in_organisations:
            found |= Q(listing__share_organisation=True, profile__organisation_id__in=in_organisations)
        in_countries = [code for code, name in country_names if word in name]
        if in_countries:
            found |= Q(listing__share_country=True) & (
                Q(profile__country_of_posting__in=in_countries)
                | Q(profile__country_of_posting="", profile__nationality__in=in_countries)
            )
        matches &= found
    return matches


def search_directory(*, filters: DirectoryFilters, page: int | str = 1) -> Page:
    """One page of cards, by name, for the filters given. Three queries whatever the size of the directory."""
    people = _filtered(filters).order_by("profile__name_key", "pk").values_list("pk", flat=True)
    result = Paginator(people, PAGE_SIZE).get_page(page)
    result.object_list = _cards(list(result.object_list))
    return result


def get_card(*, user_id: int) -> Card | None:
    """One listed alumnus's card, or None when they are not (or no longer) in the directory."""
    if not list_listed_alumni().filter(pk=user_id).exists():
        return None
    return _cards([user_id])[0]


def get_listing(*, user) -> DirectoryListing:
    """The person's listing (unsaved and sharing nothing if they never chose)."""
    return DirectoryListing.objects.filter(user=user).first() or DirectoryListing(user=user)


def _cards(user_ids: list[int]) -> list[Card]:
    users = get_user_model().objects.filter(pk__in=user_ids).select_related("profile__organisation", "listing")
    by_id = {user.pk: user for user in users}
    sharing_cohorts = [
        pk for pk in user_ids if (listing := getattr(by_id.get(pk), "listing", None)) and listing.share_cohorts
    ]
    cohorts: dict[int, list[str]] = {}
    if sharing_cohorts:
        attended = (
            Registration.objects.filter(user_id__in=sharing_cohorts, status=RegistrationStatus.ATTENDED)
            .select_related("cohort__session")
            .order_by("cohort__session__start_date")
        )
        for registration in attended:
            session = registration.cohort.session
            cohorts.setdefault(registration.user_id, []).append(f"{session.title} ({session.start_date.year})")
    languages = dict(DELIVERY_LANGUAGES)
    themes = dict(Theme.choices)
    cards = []
    for pk in user_ids:
        user = by_id.get(pk)
        if user is None:
            continue
        profile = user.profile
        listing = getattr(user, "listing", None) or DirectoryListing(user=user)
        name = profile.preferred_name or profile.full_name
        card = Card(user_id=pk, name=name, full_name=profile.full_name if profile.full_name != name else "",
                    about=listing.about,
                    accepts_messages=listing.accepts_messages)  # fmt: skip
        if listing.share_native_name:
            card.native_name = profile.native_name
        if listing.share_sector:
            card.sector = profile.sector
            card.sector_label = str(Sector(profile.sector).label)
        if listing.share_organisation and profile.organisation:
            card.organisation = str(profile.organisation)
        if listing.share_position:
            card.position = profile.position
        if listing.share_country and profile.country:
            card.country = profile.country.code
            card.country_name = str(profile.country.name)
        if listing.share_languages:
            card.languages = [str(languages[code]) for code in profile.languages or [] if code in languages]
        if listing.share_expertise:
            card.expertise = [str(themes[code]) for code in listing.expertise or [] if code in themes]
        if listing.share_cohorts:
            card.cohorts = cohorts.get(pk, [])
        cards.append(card)
    return cards


def list_directory_choices() -> dict:
    """What the filters offer: only values that someone listed shares (a hidden value is never offered).

    Kept in the cache for a few minutes (the same for every viewer); a change to a listing clears it."""
    from django.core.cache import cache
    from django_countries import countries

    shared = cache.get(CHOICES_CACHE_KEY)
    if shared is None:
        shared = _shared_values()
        cache.set(CHOICES_CACHE_KEY, shared, CHOICES_CACHE_SECONDS)
    return {
        "countries": sorted(((code, str(countries.name(code))) for code in shared["countries"]),
                            key=lambda choice: fold(choice[1])),
        "sectors": Sector.choices,
        "organisations": shared["organisations"],
        "cohorts": shared["cohorts"],
        "languages": DELIVERY_LANGUAGES,
        "expertise": Theme.choices,
    }  # fmt: skip


def _shared_values() -> dict:
    listed = list_listed_alumni()
    country_codes = set()
    for posting, nationality in listed.filter(listing__share_country=True).values_list(
        "profile__country_of_posting", "profile__nationality"
    ):
        if posting or nationality:
            country_codes.add(posting or nationality)
    organisations = Organisation.objects.filter(
        pk__in=listed.filter(listing__share_organisation=True).values("profile__organisation_id")
    ).order_by("name")
    cohorts = (
        Cohort.objects.filter(
            registrations__status=RegistrationStatus.ATTENDED,
            registrations__user__in=listed.filter(listing__share_cohorts=True),
        )
        .select_related("session")
        .distinct()
        .order_by("-session__start_date")
    )
    return {
        "countries": sorted(country_codes),
        "organisations": [(organisation.pk, str(organisation)) for organisation in organisations],
        "cohorts": [(cohort.pk, f"{cohort.session.title} ({cohort.session.start_date.year})") for cohort in cohorts],
    }


def list_names(*, user_ids) -> dict[int, str]:
    """Display names by user id (preferred name, else the passport name)."""
    profiles = Profile.objects.filter(user_id__in=user_ids).values_list("user_id", "preferred_name", "full_name")
    return {pk: preferred or full for pk, preferred, full in profiles}


def _mate_ids(user) -> QuerySet:
    """The user ids of the alumni of the cohorts the person attended: people they have met."""
    attended = Registration.objects.filter(status=RegistrationStatus.ATTENDED)
    return (
        attended.filter(cohort_id__in=attended.filter(user=user).values("cohort_id"))
        .exclude(user=user)
        .values_list("user_id", flat=True)
        .distinct()
    )


def as_alumni_see(user, *, met: bool = False, unnamed: str = "?") -> Person:
    """A person as another alumnus sees them (`user` with `profile__organisation` and `listing` selected).

    The directory's rule: the passport name when they are listed (the directory always shows it) or when the viewer
    `met` them in a cohort (their badge showed it); their native name, organisation and country only if they are
    listed and share them there (the organisation would tell the sector, which the network's map hides too)."""
    person = person_of(user, native_name=True, unnamed=unnamed)
    profile = getattr(user, "profile", None)
    listing = getattr(user, "listing", None)
    listed = profile is not None and profile.listed_in_directory and listing is not None
    if not (listed or met):
        return Person(pk=person.pk, name=person.name)
    return person.hiding(
        native_name=not (listed and listing.share_native_name),
        organisation=not (listed and listing.share_organisation),
        country=not (listed and listing.share_country),
    )


def list_people(*, user_ids, viewer, met: set[int] | None = None) -> dict[int, Person]:
    """The people of these users as `viewer` (an alumnus) may see them (`as_alumni_see`), by user id: two queries
    whatever their number (one when the caller knows whom the viewer `met`)."""
    ids = set(user_ids)
    if met is None:
        met = set(_mate_ids(viewer).filter(user_id__in=ids)) if ids else set()
    users = get_user_model().objects.filter(pk__in=ids).select_related("profile__organisation", "listing")
    return {user.pk: as_alumni_see(user, met=user.pk in met) for user in users}


def list_cohort_mates(*, user) -> list[Person]:
    """The alumni of the cohorts the person attended (`as_alumni_see`), by what is printed."""
    mates = set(_mate_ids(user))
    people = list_people(user_ids=mates, viewer=user, met=mates)
    return sorted(people.values(), key=lambda person: person.sort_key)


def list_allowed_collaborators(*, user, chosen) -> set[int]:
    """Of the people chosen, those the person may name: alumni of their cohorts, or listed in the directory."""
    chosen = {int(pk) for pk in chosen}
    mates = set(_mate_ids(user).filter(user_id__in=chosen))
    listed = set(list_listed_alumni().filter(pk__in=chosen - mates).values_list("pk", flat=True))
    # Someone who recorded a collaboration with this person may be named back (to confirm it), listed or not.
    named_me = set(
        Tie.objects.filter(
            other=user, reporter_id__in=chosen - mates - listed, source=Tie.Source.COLLABORATION
        ).values_list("reporter_id", flat=True)
    )
    return chosen & (mates | listed | named_me)


def list_collaborations(*, user) -> list[Collaboration]:
    """The person's records, newest first; each with `people`: (name, confirmed) — confirmed when the other
    person also recorded a collaboration with them. (Their questionnaire answers were given to the organisers,
    not to the people they name: the organisers' figures count them, this page does not show them.)"""
    collaborations = list(Collaboration.objects.filter(reporter=user).prefetch_related("ties"))
    others = {tie.other_id for collaboration in collaborations for tie in collaboration.ties.all()}
    confirmed = set(
        Tie.objects.filter(other=user, reporter_id__in=others, source=Tie.Source.COLLABORATION).values_list(
            "reporter_id", flat=True
        )
    )
    people = list_people(user_ids=others, viewer=user)
    for collaboration in collaborations:
        collaboration.people = sorted(
            (
                (people.get(tie.other_id) or Person(pk=tie.other_id, name="?"), tie.other_id in confirmed)
                for tie in collaboration.ties.all()
            ),
            key=lambda item: item[0].sort_key,
        )
    return collaborations


def list_unconfirmed_ties(*, user) -> list[dict]:
    """People who recorded a collaboration with this person while this person never reported one with them: one
    row each, with the latest record (kind, date), so that the person can confirm it. Questionnaire answers are
    not shown to the people they name."""
    mine = Tie.objects.filter(reporter=user).values("other_id")
    reports = (
        Tie.objects.filter(other=user, source=Tie.Source.COLLABORATION)
        .exclude(reporter_id__in=mine)
        .order_by("reporter_id", "-reported_on", "-id")
        .values("reporter_id", "kind", "reported_on")
    )
    latest: dict[int, dict] = {}
    for report in reports:
        latest.setdefault(report["reporter_id"], report)
    people = list_people(user_ids=latest, viewer=user)
    rows = [
        {**report, "person": people.get(pk) or Person(pk=pk, name="?"), "user_id": pk} for pk, report in latest.items()
    ]
    return sorted(rows, key=lambda row: row["reported_on"], reverse=True)
