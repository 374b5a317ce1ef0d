"""Tests: fast hashing, in-process email, sync tasks. The database comes from DATABASE_URL."""

from .base import *  # noqa: F403
from .env import env_str

DEBUG = False
SECRET_KEY = "test-only-key-not-secret-0123456789-abcdefghijklmnopqrstuvwxyz"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["*"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# The suite uses local memory unless it is asked to exercise Redis (make test-postgres).
if not env_str("REDIS_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# django-q2 reads SYNC at import time: it must be set here, not with override_settings.
Q_CLUSTER = {**Q_CLUSTER, "sync": True}  # noqa: F405

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    # A file, not memory: the live-server and concurrency tests open several connections. Two runs at once
    # need two files (TEST_SQLITE_NAME).
    DATABASES["default"]["TEST"] = {"NAME": env_str("TEST_SQLITE_NAME") or str(VAR_DIR / "test.sqlite3")}  # noqa: F405

(VAR_DIR / "static").mkdir(parents=True, exist_ok=True)  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
