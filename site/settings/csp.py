"""The Content-Security-Policy's directives (read by attache.csp's middleware, django-csp): plain strings, so that
the settings import nothing of Django's at load time."""

NONE = "'none'"
SELF = "'self'"
UNSAFE_INLINE = "'unsafe-inline'"


def directives(*, media_origins: list[str], admin: bool = False) -> dict:
    return {
        "default-src": [SELF],
        "script-src": [SELF, UNSAFE_INLINE] if admin else [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:", *media_origins] if admin else [SELF, "data:", *media_origins],
        "font-src": [SELF],
        "connect-src": [SELF],
        "media-src": [SELF, *media_origins],
        "frame-src": [SELF] if admin else [NONE],  # the editor previews pages in a frame of its own
        "frame-ancestors": [SELF] if admin else [NONE],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    }
