"""The shared cache of public pages as anonymous visitors see them.

Every server reads and fills the same cache (Redis in production). A page is cached only when nothing personal
can be in it: a GET without a query string, from a visitor without a session or pending messages, answered by
Wagtail with 200, without a cookie set, a CSRF token used, or `Cache-Control: private`. Publishing, unpublishing,
moving or deleting any page starts a new generation of the cache (a listing elsewhere may show the page), and
every entry also expires after PUBLIC_PAGE_SECONDS, for what changes without a publish (organisations, say).
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache

GENERATION_KEY = "public-pages:generation"
PUBLIC_PAGE_SECONDS = 600
MESSAGES_COOKIE = "messages"
PAGE_PREFIXES = tuple(f"/{code}/" for code, _name in settings.LANGUAGES)


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        # Never a number used before, even after the cache was emptied (Redis back from an outage): a page kept
        # under an old generation can never be read back.
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        value = cache.get(GENERATION_KEY, 0)
    return value


def forget_public_pages(**kwargs) -> None:
    """Start a new generation: every cached page is read again on its next visit (a receiver of page signals)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # never set, or evicted
        cache.set(GENERATION_KEY, time.time_ns(), timeout=None)


def may_use_cache(request) -> bool:
    """Whether this request may be answered from, and fill, the anonymous cache (pages live under /en/, /ar/…:
    the health check, static files and the admin never touch it)."""
    return (
        request.method in ("GET", "HEAD")
        and request.path.startswith(PAGE_PREFIXES)
        and not request.META.get("QUERY_STRING")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and MESSAGES_COOKIE not in request.COOKIES
    )


def key_for(request) -> str:
    address = f"{request.get_host()}{request.path}"
    return f"public-page:{generation()}:{hashlib.sha256(address.encode()).hexdigest()}"


def may_keep(request, response) -> bool:
    """Whether a response to an anonymous request is the same for every anonymous visitor."""
    match = getattr(request, "resolver_match", None)
    cache_control = response.get("Cache-Control", "")
    return (
        match is not None
        and match.func.__module__ == "wagtail.views"
        and response.status_code == 200
        and not getattr(response, "streaming", False)
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and "private" not in cache_control
        and "no-store" not in cache_control
    )
