from django import template
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
