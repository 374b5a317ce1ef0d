"""Parts of signed-in pages kept in the shared cache and shared by everyone allowed to see them.

The organiser's cohort page, a questionnaire's results, a network and a directory search are costly to build and
the same for every organiser (or alumnus) who may see them. Their main part is rendered once into the shared cache
(Redis in production, so every server shares it) under a key that holds the **generation** of each kind of data it
shows. A change to that data starts a new generation of its topic (`touch`, from the receivers each app connects),
so the next visit renders it again; nothing has to find and delete old entries. Every fragment also expires after
FRAGMENT_SECONDS, for writes that send no signal (bulk updates, raw SQL).

What keeps personal data where it belongs:
- A fragment is rendered **without the request**: no `user`, `perms` or `messages` from context processors can
  reach it. What differs between viewers goes into the key (`vary`) or stays outside the fragment.
- CSRF tokens in a fragment are a placeholder, replaced on every request by the viewer's own token.
- The view checks who may see the page before it asks for the fragment; the fragment never decides that.

A generation is touched at once and again when the transaction commits: a visitor who read the data before the
commit may have stored the old data under the generation of the moment, which the second touch leaves behind.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.db import transaction
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

FRAGMENT_SECONDS = 600
CSRF_PLACEHOLDER = "__attache_csrf_token__"
Topic = str | tuple[str, object]


def _generation_key(topic: Topic) -> str:
    name = topic if isinstance(topic, str) else f"{topic[0]}:{topic[1]}"
    return f"fragment-generation:{name}"


def _fresh() -> int:
    # Never a number used before, even after the cache was emptied: an old fragment can never be read back.
    return time.time_ns()


def generations(topics: Iterable[Topic]) -> list[int]:
    """The current generation of each topic (one cache read for all of them)."""
    keys = [_generation_key(topic) for topic in topics]
    found = cache.get_many(keys)
    values = []
    for key in keys:
        if key not in found:
            cache.add(key, _fresh(), timeout=None)
            found[key] = cache.get(key)
        values.append(found[key])
    return values


def _touch_now(keys: list[str]) -> None:
    for key in keys:
        try:
            cache.incr(key)
        except ValueError:  # never read, or evicted: any new number will do
            cache.set(key, _fresh(), timeout=None)


def touch(*topics: Topic) -> None:
    """Start a new generation of each topic: the fragments that show it are rendered again on their next visit."""
    keys = [_generation_key(topic) for topic in topics]
    try:
        _touch_now(keys)
    except Exception:  # the cache is down: its fragments are unreachable too, and expire
        logger.warning("Fragment cache unavailable", exc_info=True)
        return
    transaction.on_commit(lambda: _touch_after_commit(keys))


def _touch_after_commit(keys: list[str]) -> None:
    try:
        _touch_now(keys)
    except Exception:
        logger.warning("Fragment cache unavailable", exc_info=True)


# What {% csrf_token %} writes with the placeholder: content cannot produce it (a `"` in text is always escaped), so a
# name or a search that happens to contain the placeholder's letters is never given a token.
CSRF_MARKUP = f'name="csrfmiddlewaretoken" value="{CSRF_PLACEHOLDER}"'


def _fill(html: str, request) -> SafeString:
    if CSRF_MARKUP not in html:
        return mark_safe(html)
    return mark_safe(html.replace(CSRF_MARKUP, f'name="csrfmiddlewaretoken" value="{get_token(request)}"'))


def render(
    request,
    template_name: str,
    context: Callable[[], dict],
    *,
    topics: Iterable[Topic],
    vary: Iterable[object] = (),
    use_cache: bool = True,
) -> SafeString:
    """The HTML of `template_name`, from the shared cache when the data of its topics has not changed.

    `context` is called only when the fragment has to be rendered (the reads it makes are what the cache saves).
    `vary` lists whatever else the fragment depends on (the language is always part of the key). With
    `use_cache=False` (a form sent back with errors, say) the fragment is rendered for this request alone."""
    if not use_cache:
        return _fill(render_to_string(template_name, {**context(), "csrf_token": CSRF_PLACEHOLDER}), request)
    topics = list(topics)
    try:
        parts = [template_name, get_language(), *map(str, vary), *map(str, generations(topics))]
        key = "fragment:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
        html = cache.get(key)
    except Exception:
        logger.warning("Fragment cache unavailable", exc_info=True)
        return render(request, template_name, context, topics=topics, use_cache=False)
    if html is None:
        html = render_to_string(template_name, {**context(), "csrf_token": CSRF_PLACEHOLDER})
        try:
            cache.set(key, html, FRAGMENT_SECONDS)
        except Exception:
            logger.warning("Fragment cache unavailable", exc_info=True)
    return _fill(html, request)
