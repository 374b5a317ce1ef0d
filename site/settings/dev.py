"""Local development: DEBUG on, email printed to the console."""

from .base import *  # noqa: F403
from .env import env_bool, env_str

DEBUG = env_bool("DEBUG", True)
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
ALLOWED_HOSTS = ALLOWED_HOSTS + ["testserver"]  # noqa: F405

(VAR_DIR / "static").mkdir(parents=True, exist_ok=True)  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Development only (allauth refuses it unless DEBUG is on): the demo organiser can finish setting up
# two-factor authentication without a phone by typing this code. Set it empty to practise the real thing.
MFA_TOTP_INSECURE_BYPASS_CODE = (env_str("MFA_TOTP_INSECURE_BYPASS_CODE", "000000") or None) if DEBUG else None
