"""How a person is shown, the same way on every page, badge, sheet, picker, audit entry and export.

A cohort may hold four Marias: a person is printed as their preferred name (else the passport name, else what
the caller allows, the email address on staff pages) followed by what tells them apart: the passport name when it
differs, the organisation and the country. Lists sort by what is printed (`sort_key`) and searches match all of it
(`search_key`), without regard to case or accents, in any script.

Which fields are shown is the caller's decision (privacy): the native-script name only where it was shown before
(staff pages, the session pack), and the alumni pages hide what a person does not share in the directory
(`Person.hiding`, used by evaluations.selectors.alumni). The country is the registration's nationality on the
pages of a cohort (what the cohort counts and the badge prints), else the profile's country (posting, else
nationality), named in the active language.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django_countries import countries

from .models import fold

__all__ = ["Person", "load_people", "person_of", "sorted_people", "with_people"]

# First Strong Isolate … Pop Directional Isolate: where no <bdi> can go (an <option>'s text), each part typed by a
# person is isolated by these two characters, so that an Arabic name does not reorder the Latin text around it.
FSI, PDI = "\u2068", "\u2069"
DASH, DOT = " — ", " · "


@dataclass(frozen=True)
class Person:
    """One person as printed. Every field but `name` may be empty: it is then not shown."""

    pk: int | None
    name: str
    full_name: str = ""  # the passport name, only when it differs from `name`
    native_name: str = ""  # only where the caller may show it
    organisation: str = ""
    country: str = ""  # the country's name in the language active when the person was built

    def __str__(self) -> str:
        return self.label

    @property
    def details(self) -> tuple[str, ...]:
        """What tells this person apart from another of the same name, in the order it is printed."""
        return tuple(part for part in (self.full_name, self.native_name, self.organisation, self.country) if part)

    @property
    def label(self) -> str:
        """One line of plain text: "Name — Full name · Organisation · Country" (exports, sheets, titles)."""
        return self.name + (DASH + DOT.join(self.details) if self.details else "")

    @property
    def isolated_label(self) -> str:
        """`label` with each typed part bidi-isolated: the text of an <option>, where no <bdi> can go, or a person
        on one line of a page."""
        if not self.details:
            return self.name
        return f"{FSI}{self.name}{PDI}" + DASH + DOT.join(f"{FSI}{part}{PDI}" for part in self.details)

    @property
    def sort_key(self) -> tuple:
        """By what is printed: the name, then the full name, the organisation, the country; last the id."""
        return (fold(self.name), fold(self.full_name), fold(self.organisation), fold(self.country), self.pk or 0)

    @property
    def search_key(self) -> str:
        """Everything printed, folded, for a search that matches any part of it."""
        return fold(" ".join((self.name, *self.details)))

    def matches(self, query: str) -> bool:
        """Every word of the query is found in what is printed."""
        key = self.search_key
        return all(word in key for word in fold(query).split())

    def hiding(self, *, native_name: bool = False, organisation: bool = False, country: bool = False) -> Person:
        """The same person without the fields named (a privacy rule of the page that shows them)."""
        hidden = {"native_name": native_name, "organisation": organisation, "country": country}
        return dataclasses.replace(self, **{field: "" for field, hide in hidden.items() if hide})


def _country_name(country) -> str:
    if not country:
        return ""
    code = getattr(country, "code", country)
    return str(countries.name(code)) or str(code)


def person_of(user, *, country=None, native_name: bool = True, unnamed: str | None = None) -> Person:
    """The person of `user` (with `profile__organisation` selected: no query here).

    `country`: the country to print (a registration's nationality); by default the profile's. `native_name`:
    whether the native-script name may be shown. `unnamed`: the name of someone who gave none (by default their
    email address; alumni pages never show it)."""
    profile = getattr(user, "profile", None)
    fallback = user.email if unnamed is None else unnamed
    if profile is None:
        return Person(pk=user.pk, name=fallback, country=_country_name(country))
    full_name = " ".join(profile.full_name.split())
    name = " ".join(profile.preferred_name.split()) or full_name or fallback
    native = " ".join(profile.native_name.split()) if native_name else ""
    return Person(
        pk=user.pk,
        name=name,
        full_name=full_name if full_name != name else "",
        native_name=native if native not in (name, full_name) else "",
        organisation=profile.organisation.name if profile.organisation_id else "",
        country=_country_name(country or profile.country),
    )


def load_people(user_ids: Iterable[int], *, native_name: bool = False, unnamed: str | None = None) -> dict[int, Person]:
    """The people of these users by user id, in one query whatever their number."""
    ids = user_ids if isinstance(user_ids, QuerySet) else set(user_ids)
    users = get_user_model().objects.filter(pk__in=ids).select_related("profile__organisation")
    return {user.pk: person_of(user, native_name=native_name, unnamed=unnamed) for user in users}


def sorted_people(people: Iterable[Person]) -> list[Person]:
    return sorted(people, key=lambda person: person.sort_key)


def with_people(registrations: list) -> list:
    """Registrations (with `user__profile__organisation` selected) sorted by what is printed, each with its
    `person` as the cohort's pages, badges and sheets print it (native name included, the nationality the cohort
    counts), its `profile` and its `name`."""
    for registration in registrations:
        registration.profile = getattr(registration.user, "profile", None)
        registration.person = person_of(registration.user, country=registration.country)
        registration.name = registration.person.name
    registrations.sort(key=lambda registration: (registration.person.sort_key, registration.pk))
    return registrations
