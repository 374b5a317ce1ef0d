"""What Django's localisation leaves out: time zones by name and lists joined as the reader's language joins them.

Both come from the Unicode CLDR data that Babel ships ("Malaysia Time" / "توقيت ماليزيا" / "heure : Malaisie",
"a, b, and c" / "a وb وc" / "a, b et c"), so that a venue anywhere in the world reads right in every language of
the interface without tables of our own. Pages use them through the `zone_name` and `list` template filters.
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Iterable
from functools import lru_cache

import babel.lists
from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.dates import get_timezone_location, get_timezone_name
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import pgettext

# Territories that CLDR gives to zones with no country ("Etc/GMT+5", "UTC").
NO_COUNTRY = {None, "ZZ", "001"}


@lru_cache(maxsize=16)
def _locale(language: str) -> Locale:
    try:
        return Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse(settings.LANGUAGE_CODE)


def babel_locale(language: str | None = None) -> Locale:
    """Babel's locale for a Django language code, the active language by default."""
    return _locale(language or translation.get_language() or settings.LANGUAGE_CODE)


def parts_separator(language: str | None = None) -> str:
    """What goes between the parts of an address or a list cell: ", " in English and French, "، " in Arabic.

    CLDR's list patterns all put "and" (و) between the last two items in Arabic, which is wrong for an address.
    """
    if language is None:
        return pgettext("between the parts of an address or of a time zone's name", ", ")
    with translation.override(language):
        return pgettext("between the parts of an address or of a time zone's name", ", ")


def join_parts(parts: Iterable[object], *, language: str | None = None) -> str:
    """Non-empty parts joined with the language's comma: "Hotel, Amman, Jordan" / "فندق، عمّان، الأردن"."""
    return parts_separator(language).join(str(part) for part in parts if part)


def format_list(items: Iterable[object], *, style: str = "standard", language: str | None = None) -> str:
    """Items joined as a sentence of the language joins them: "a, b, and c" / "a وb وc" / "a, b et c".

    `style` is CLDR's: "standard" (and), "or", "unit"."""
    items = [str(item) for item in items]
    if not items:
        return ""
    return babel.lists.format_list(items, style=style, locale=babel_locale(language))


def _moment(zone: zoneinfo.ZoneInfo, on: datetime.date | datetime.datetime | None) -> datetime.datetime:
    if on is None:
        return timezone.now().astimezone(zone)
    if isinstance(on, datetime.datetime):
        return on.astimezone(zone) if timezone.is_aware(on) else on.replace(tzinfo=zone)
    # A day: its noon at the venue, clear of the night when the clocks change.
    return datetime.datetime.combine(on, datetime.time(12), tzinfo=zone)


def _offset(moment: datetime.datetime, locale: Locale) -> str:
    """ "GMT+8", "غرينتش+5:30", "UTC-3", "GMT"."""
    seconds = int(moment.utcoffset().total_seconds())
    sign = "-" if seconds < 0 else "+"
    hours, minutes = divmod(abs(seconds) // 60, 60)
    number = f"{sign}{hours}:{minutes:02d}" if minutes else f"{sign}{hours}" if hours else ""
    return locale.zone_formats["gmt"] % number


def _country_zone_name(name: str, locale: Locale) -> str | None:
    """ "Malaysia Time" for Asia/Kuala_Lumpur: the country the zone is in, None for a zone of no country."""
    canonical = get_global("zone_aliases").get(name, name)
    territory = get_global("zone_territories").get(canonical)
    if territory in NO_COUNTRY or territory not in locale.territories:
        return None
    return locale.zone_formats["region"] % locale.territories[territory]


def time_zone_name(
    name: str,
    *,
    on: datetime.date | datetime.datetime | None = None,
    language: str | None = None,
    with_city: bool = False,
) -> str:
    """A time zone as people read it, never its IANA id: "Malaysia Time, GMT+8" / "توقيت ماليزيا، غرينتش+8" /
    "heure : Malaisie, UTC+8".

    The offset is the one in force on `on` (a day, a moment; now by default), so that summer time shows.
    `with_city` names the zone's city too when its country has several ("United States (New York) Time"): for
    lists of zones to choose from. An unknown name is given back as it is."""
    try:
        zone = zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        return str(name or "")
    locale = babel_locale(language)
    moment = _moment(zone, on)
    offset = _offset(moment, locale)
    if with_city:
        canonical = get_global("zone_aliases").get(name, name)
        region = get_global("zone_territories").get(canonical)
        country = None if region in NO_COUNTRY else get_timezone_location(zone, locale=locale)
    else:
        country = _country_zone_name(name, locale)
    if country is None:
        # "Coordinated Universal Time" for UTC; a bare offset for "Etc/GMT+5".
        return get_timezone_name(moment, locale=locale) if not moment.utcoffset() else offset
    return country + parts_separator(language) + offset


@lru_cache(maxsize=8)
def _time_zone_choices(language: str, day: datetime.date) -> tuple[tuple[str, str], ...]:
    labelled = [(name, f"{time_zone_name(name, on=day, language=language, with_city=True)} — {name}")
                for name in zoneinfo.available_timezones()]  # fmt: skip
    return tuple(sorted(labelled, key=lambda choice: choice[1].casefold()))


def time_zone_choices(language: str | None = None) -> list[tuple[str, str]]:
    """Every time zone as (IANA id, "its name, offset today — id"), in the order of their names in the language."""
    return list(_time_zone_choices(language or translation.get_language() or settings.LANGUAGE_CODE,
                                   timezone.localdate()))  # fmt: skip
