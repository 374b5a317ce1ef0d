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
