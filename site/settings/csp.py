"""The Content-Security-Policy's directives (read by attache.csp's middleware, django-csp): plain strings, so that
the settings import nothing of Django's at load time."""

NONE = "'none'"
SELF = "'self'"
UNSAFE_INLINE = "'unsafe-inline'"


# Videos embedded in rich text by the CMS's embed feature come in frames from these.
EMBED_ORIGINS = ["https://www.youtube.com", "https://www.youtube-nocookie.com", "https://player.vimeo.com"]


def directives(*, media_origins: list[str], admin: bool = False) -> dict:
    return {
        "default-src": [SELF],
        "script-src": [SELF, UNSAFE_INLINE] if admin else [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:", *media_origins] if admin else [SELF, "data:", *media_origins],
        "font-src": [SELF],
        "connect-src": [SELF],
        "media-src": [SELF, *media_origins],
        "frame-src": [SELF, *EMBED_ORIGINS] if admin else EMBED_ORIGINS,  # the editor previews pages in a frame
        "frame-ancestors": [SELF] if admin else [NONE],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    }
