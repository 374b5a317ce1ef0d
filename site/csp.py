"""Content-Security-Policy (django-csp): no script runs on our pages unless it is one of our own files.

Every page of the site gets `script-src 'self'`: a `<script>` that someone managed to store in a field, a name or
a message would not run even if it escaped escaping. Styles may be inline (progress bars set their width in a
`style` attribute); images come from here, from `data:` URLs (QR codes) and from the media storage.

Wagtail's editor and Django's admin write inline scripts of their own, so their prefixes get a second policy that
allows inline scripts but nothing from elsewhere. Signed-in editors only reach them (organisers and staff with
two-factor authentication, partner editors on their own programmes), and those frameworks escape what they show.
"""

from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config
from django.conf import settings

ADMIN_PREFIXES = ("/cms/", "/django-admin/")


class AttacheCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and parts.config is None and request.path_info.startswith(ADMIN_PREFIXES):
            parts.config = default_config(settings.ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"])
        return parts
