from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, get_language_info

register = template.Library()

# Languages whose grammar writes language names in lower case inside a sentence ("en français").
LOWER_CASE_LANGUAGE_NAMES = {"fr"}


@register.simple_tag
def language_name_in_sentence(code: str) -> str:
    """The name of a language, translated into the active one, as it is written mid-sentence."""
    name = get_language_info(code)["name_translated"]
    return name.lower() if (get_language() or "").split("-")[0] in LOWER_CASE_LANGUAGE_NAMES else name


@register.filter
def runs_sessions(user) -> bool:
    """Trainers and organisers see 'My sessions' in the menu."""
    from courses.permissions import is_organiser, is_trainer

    return is_organiser(user) or is_trainer(user)


@register.filter
def reviews_applications(user) -> bool:
    """Members of the Reviewers role see 'Applications to review' in the menu."""
    from courses.permissions import is_reviewer

    return is_reviewer(user)


@register.filter
def uses_alumni_network(user) -> bool:
    """Alumni and organisers see 'Alumni network' in the menu."""
    from courses.permissions import is_alumnus, is_organiser

    return is_organiser(user) or is_alumnus(user)


@register.simple_tag
def alumni_space_url() -> str:
    """The alumni space in the active language (else in its original language), or '' when there is none.

    On every page of the alumni network: kept in the shared cache until a page is published, moved or deleted."""
    from django.core.cache import cache
    from wagtail.models import Locale

    from courses.fragment_cache import generations
    from courses.models import AlumniSpacePage

    key = f"alumni-space-url:{get_language()}:{generations(['pages'])[0]}"
    url = cache.get(key)
    if url is None:
        spaces = AlumniSpacePage.objects.live()
        space = spaces.filter(locale=Locale.get_active()).first() or spaces.first()
        url = space.get_url() if space else ""
        cache.set(key, url, 600)
    return url


@register.filter
def is_alumnus(user) -> bool:
    from courses.permissions import is_alumnus as in_alumni_group

    return in_alumni_group(user)


@register.filter
def get_item(mapping, key):
    return mapping.get(key, "")


@register.inclusion_tag("includes/person.html")
def show_person(person, name_class: str = "") -> dict:
    """A person (participants.people.Person) as every page shows them: the name, then what tells them apart."""
    return {"person": person, "name_class": name_class}


def _escaped_join(items, join) -> str:
    """`join` (a function of strings) applied to items escaped one by one, its own words escaped too."""
    escaped = [conditional_escape(item) for item in items]
    tokens = [f"\x00{index}\x00" for index in range(len(escaped))]
    text = str(conditional_escape(join(tokens)))
    for token, item in zip(tokens, escaped, strict=True):
        text = text.replace(token, item)
    return mark_safe(text)  # noqa: S308 - every part was escaped above


@register.filter(name="list")
def list_filter(items, style: str = "standard") -> str:
    """Items as the active language lists them: "English, Arabic, and French" / "الإنجليزية والعربية والفرنسية".

    `style` is CLDR's: "standard" (and), "or", "unit". Each item is escaped; pass them through `isolated` first when
    people typed them."""
    from courses.l10n import format_list

    return _escaped_join(
        [item for item in items or [] if item not in (None, "")], lambda parts: format_list(parts, style=style)
    )


@register.simple_tag
def place(*parts) -> str:
    """The non-empty parts of a place, each isolated, with the language's comma: "Hotel, Amman, Jordan" /
    "فندق، عمّان، الأردن" (an Arabic address takes "،", and a Latin city stays whole on an Arabic page)."""
    from courses.l10n import join_parts

    return _escaped_join(isolated(parts), join_parts)


@register.simple_tag
def separator() -> str:
    """The comma between the items of a list built in a loop: ", " or, in Arabic, "، "."""
    from courses.l10n import parts_separator

    return parts_separator()


@register.filter
def bdi(value) -> str:
    """Text typed by people isolated from what surrounds it (a Latin organisation inside an Arabic sentence); for
    values placed inside a translated sentence, where an element cannot be written around them."""
    return format_html("<bdi>{}</bdi>", value) if value not in (None, "") else ""


@register.filter
def isolated(items) -> list:
    """Each item typed by people in its own <bdi>, so that a Latin name keeps its place in Arabic text."""
    return [format_html("<bdi>{}</bdi>", item) for item in items or [] if item not in (None, "")]


@register.filter
def zone_name(name: str, on=None) -> str:
    """A venue's time zone by name in the active language, with its offset on `on` (a day or a moment)."""
    from courses.l10n import time_zone_name

    return time_zone_name(name, on=on or None)
