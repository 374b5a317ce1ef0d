import logging

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _

from courses.access import access_of
from courses.permissions import requires_mfa

logger = logging.getLogger(__name__)

# Paths a staff member without MFA may still reach: the account pages (to set MFA up or
# sign out), the language switch, static files and the health check.
MFA_EXEMPT_PREFIXES = ("/static/", "/media/", "/healthz", "/ping", "/i18n/")
MFA_EXEMPT_URL_NAMES = ("account_", "mfa_")


class RequireStaffMFAMiddleware:
    """Send staff (organisers, superusers) to set up two-factor authentication before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and requires_mfa(user) and not access_of(user).mfa:
            if not self._exempt(request):
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
