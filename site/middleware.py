import logging
import re
from functools import wraps

from django.contrib import messages
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from courses.access import access_of
from courses.permissions import requires_mfa
from courses.responses import keep_private

logger = logging.getLogger(__name__)

# Paths a staff member without MFA may still reach: the account pages (to set MFA up or
# sign out), the language switch, static files and the health check.
MFA_EXEMPT_PREFIXES = ("/static/", "/media/", "/healthz", "/ping", "/i18n/")
MFA_EXEMPT_URL_NAMES = ("account_", "mfa_")
# The page a staff member wanted when they were sent to set MFA up: "Continue" after the recovery codes leads there.
AFTER_MFA_SESSION_KEY = "attache_after_mfa"


class RequireStaffMFAMiddleware:
    """Send staff (organisers, superusers) to set up two-factor authentication before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and requires_mfa(user) and not access_of(user).mfa:
            if not self._exempt(request):
                if request.method == "GET" and "application/json" not in request.headers.get("Accept", ""):
                    request.session[AFTER_MFA_SESSION_KEY] = request.get_full_path()
                messages.warning(
                    request,
                    _("Staff accounts must use two-factor authentication. Set up an authenticator app to continue."),
                )
                return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)

    @staticmethod
    def _exempt(request) -> bool:
        if request.path.startswith(MFA_EXEMPT_PREFIXES):
            return True
        match = getattr(request, "resolver_match", None)
        if match is None:
            try:
                match = resolve(request.path_info)
            except Resolver404:
                return True
        return bool(match.url_name) and match.url_name.startswith(MFA_EXEMPT_URL_NAMES)


class PublicPageCacheMiddleware:
    """Answer anonymous visitors' page views from the shared cache, before sessions, users and languages are
    looked at; fill it with what Wagtail answers them (courses.page_cache says when that is safe)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.core.cache import cache
        from django.http import HttpResponse

        from courses import page_cache

        if not page_cache.may_use_cache(request):
            return self.get_response(request)
        try:
            key = page_cache.key_for(request)
            kept = cache.get(key)
        except Exception:  # the cache is down: pages are still served, from the database
            logger.warning("Public page cache unavailable", exc_info=True)
            return self.get_response(request)
        if kept is not None:
            content, headers = kept
            response = HttpResponse(content)
            for name, value in headers.items():
                response[name] = value
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if page_cache.may_keep(request, response):
            # Every header the inner middleware set (X-Frame-Options, Content-Language…): a hit must carry them.
            headers = dict(response.headers)
            try:
                cache.set(key, (response.content, headers), page_cache.PUBLIC_PAGE_SECONDS)
            except Exception:
                logger.warning("Public page cache unavailable", exc_info=True)
                return response
            response["X-Page-Cache"] = "miss"
        return response


# C0 control characters but TAB, LF and CR: no link or form of ours carries them, PostgreSQL refuses NUL in text,
# and the others end up in names and exports. In the query string they come raw or percent-encoded; no byte of a
# multi-byte UTF-8 character is below 0x80, so the raw string says it all, without decoding. Lone surrogates cannot
# arrive (Django decodes undecodable bytes to U+FFFD) but would break any encoding of the text later: refused too.
CONTROL_IN_QUERY = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]|%(?:0[0-8bcef]|1[0-9a-f])", re.IGNORECASE)
CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class RejectControlCharactersMiddleware:
    """Answer 400, saying why, to a request whose path, query string or form fields (names and values, not the
    content of uploaded files) hold a control character: no view has to expect one, and none answers 500 for it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            CONTROL_IN_QUERY.search(request.META.get("QUERY_STRING", ""))
            or CONTROL_IN_TEXT.search(request.path_info)
            or (request.method == "POST" and request.content_type in FORM_TYPES and self._form_has_control(request))
        ):
            return self._refuse(request)
        return self.get_response(request)

    @staticmethod
    def _form_has_control(request) -> bool:
        # The same parse CsrfViewMiddleware would make next (files go to the upload handlers, unread by us); a
        # body too large or malformed raises here as it would there, and Django answers 400.
        return any(
            CONTROL_IN_TEXT.search(key) or any(CONTROL_IN_TEXT.search(value) for value in values)
            for key, values in request.POST.lists()
        )

    @staticmethod
    def _refuse(request):
        # Before LocaleMiddleware: the language is the page's (/ar/…), else the visitor's.
        language = translation.get_language_from_request(request, check_path=True)
        with translation.override(language):
            message = _(
                "This address or form contains a control character (such as a null byte) that no page of this "
                "site accepts. Remove it and try again."
            )
        response = HttpResponseBadRequest(message + "\n", content_type="text/plain; charset=utf-8")
        response["Content-Language"] = language
        return response


# Set on a response (or by @cache_control_allowed) whose Cache-Control, or lack of one, holds for signed-in people
# too. The apps, which cannot import this module, set the attribute themselves.
CACHEABLE_ATTRIBUTE = "attache_cacheable"
PRIVATE_DIRECTIVES = {"private", "no-store", "no-cache"}


def cache_control_allowed(view):
    """Let the answer of this view to a signed-in person keep its own Cache-Control (or none)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        setattr(response, CACHEABLE_ATTRIBUTE, True)
        return response

    return wrapper


class PrivateWhenSignedInMiddleware:
    """Mark every answer to a signed-in person `Cache-Control: private, no-store` and `Vary: Cookie`: what they see
    is theirs, and no cache on the way (a proxy, a shared computer's browser) may keep or replay it. A response
    that already says private, no-store or no-cache keeps its header; a view may opt out (@cache_control_allowed).
    Anonymous requests are left as they are, for the public page cache outside."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)  # after the view: a sign-in during the request counts
        if user is None or not user.is_authenticated or getattr(response, CACHEABLE_ATTRIBUTE, False):
            return response
        patch_vary_headers(response, ("Cookie",))
        cache_control = response.get("Cache-Control", "")
        directives = {part.split("=", 1)[0].strip().lower() for part in cache_control.split(",")}
        if directives & PRIVATE_DIRECTIVES:
            return response
        if cache_control:  # public, max-age…: meant for anyone, not for this person
            del response["Cache-Control"]
        return keep_private(response)
