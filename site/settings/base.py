"""Settings shared by every environment. Everything that varies comes from the environment."""

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from .csp import directives as csp_directives
from .env import (
    caches_from_env,
    database_from_env,
    env_bool,
    env_int,
    env_list,
    env_str,
    media_origins_from_env,
    q_cluster_from_env,
    storages_from_env,
)

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("ATTACHE_VAR_DIR", str(BASE_DIR / "var")))

SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-change-me-in-production-0123456789")
DEBUG = env_bool("DEBUG", False)
ATTACHE_ENVIRONMENT = env_str("ATTACHE_ENVIRONMENT", "development")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "attache",
    "courses",
    "participants",
    "evaluations",
    # Wagtail
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_tasks",
    # Accounts
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # Tasks
    "django_q",
    "django_countries",
    "csp",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.forms",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before anything reads the request: control characters in the address or a form get a 400 (attache.middleware).
    "attache.middleware.RejectControlCharactersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before sessions and users: a cached public page costs one cache read (courses.page_cache).
    "attache.middleware.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Signed-in answers are `private, no-store`; anonymous ones are left to the public page cache outside.
    "attache.middleware.PrivateWhenSignedInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "attache.middleware.RequireStaffMFAMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Inside the public page cache: a cached page keeps the header it was served with.
    "attache.csp.AttacheCSPMiddleware",
]

ROOT_URLCONF = "attache.urls"
WSGI_APPLICATION = "attache.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]
FORM_RENDERER = "attache.forms.AttacheFormRenderer"

DATABASES = {"default": database_from_env(VAR_DIR / "attache.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
CACHES = caches_from_env()
# After Redis fails to answer, each process serves without it for this long before trying again.
REDIS_RETRY_SECONDS = env_int("REDIS_RETRY_SECONDS", 5)
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

AUTHENTICATION_BACKENDS = [
    # Django's ModelBackend, the person's permissions read from the shared cache (courses.access).
    "courses.access.CachedPermissionsBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# --- Accounts (django-allauth) ---
ACCOUNT_ADAPTER = "attache.accounts.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Attaché] "
ACCOUNT_PRESERVE_USERNAME_CASING = False
# Behind a proxy every request comes from its address: count the X-Forwarded-For hops it adds (1 behind one nginx),
# or the per-IP limits lump all visitors together. Never more hops than you run: the header can be forged.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("ALLAUTH_TRUSTED_PROXY_COUNT", 0)
# Wrong passwords are limited per IP and per account (the counters live in the cache). A stranger who knows an
# address can pause password sign-in for it that way, not keep its owner out: the owner asks for a sign-in code by
# email (the throttled page links to it), and codes are limited per IP and per address from one IP, never per
# address alone (attache.accounts.RequestLoginCodeForm). Staff still give their second factor after a code.
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
# Three tries per code; its email leaves through the outbox queue (courses.outbox), so allauth's 3 minutes is short.
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 10 * 60
ACCOUNT_FORMS = {
    "login": "attache.accounts.LoginForm",
    "request_login_code": "attache.accounts.RequestLoginCodeForm",
}
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "request_login_code": "20/m/ip",
    "request_login_code_per_ip": "3/10m/key",  # the key is the address and the IP
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Attaché"
MFA_RECOVERY_CODE_COUNT = 10

# --- Languages ---
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("ar", _("Arabic")),
    ("fr", _("French")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
FORMAT_MODULE_PATH = ["attache.formats"]  # Arabic date-and-time formats Django lacks
USE_TZ = True
TIME_ZONE = "UTC"

WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = [("en", "English"), ("ar", "العربية"), ("fr", "Français")]
WAGTAIL_SITE_NAME = "Attaché"
# No avatars from gravatar.com: the CMS would send a hash of every editor's email address to a third party.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# The public address, used in emailed links. Unset, it is where `make run` serves (its PORT, 8000 by default).
SITE_URL = env_str("SITE_URL", f"http://127.0.0.1:{env_int('PORT', 8000)}")
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", SITE_URL)
INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 21)
# Invitations never accepted are deleted this many days after their link expired (a daily job).
INVITATION_PURGE_DAYS = env_int("INVITATION_PURGE_DAYS", 180)
# The audit trail (who viewed and exported personal data) is kept this long, then deleted by a daily job.
AUDIT_RETENTION_DAYS = env_int("AUDIT_RETENTION_DAYS", 730)
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "doc", "pptx", "ppt", "xlsx", "odt", "txt", "zip"]
# Documents always go through Wagtail's view, which checks their collection's privacy on every download. On a
# bucket Wagtail would otherwise redirect to the file's public URL, which then works for anyone, for ever.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAIL_MODERATION_ENABLED = True
WAGTAILADMIN_COMMENTS_ENABLED = True
# Wagtail's own background work (search index, references) runs through django-tasks.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# --- Static and media ---
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Files about people (photos, session packs): never under MEDIA_URL; only permission-checked views serve them.
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private")))
# Local folders, or an S3-compatible bucket when MEDIA_S3_BUCKET is set (several servers must share them).
STORAGES = {
    **storages_from_env(PRIVATE_MEDIA_ROOT),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Email ---
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Attaché <no-reply@attache.example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = 20

# --- Background tasks (django-q2) ---
Q_CLUSTER = q_cluster_from_env()
# The outbox (courses.outbox): how long a worker holds an email it is sending, how long a queued email may stay
# unsent before the sweeper queues it again, how often a failing one is tried, how long sent ones are kept.
OUTBOX_LEASE_SECONDS = env_int("OUTBOX_LEASE_SECONDS", 120)
OUTBOX_FIRST_CHANCE_SECONDS = env_int("OUTBOX_FIRST_CHANCE_SECONDS", 30)
OUTBOX_REQUEUE_SECONDS = env_int("OUTBOX_REQUEUE_SECONDS", 180)
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 12)
OUTBOX_KEEP_DAYS = env_int("OUTBOX_KEEP_DAYS", 30)
OUTBOX_ALERT_SECONDS = env_int("OUTBOX_ALERT_SECONDS", 900)  # /healthz reports an email waiting longer

# --- Content-Security-Policy (attache.csp): scripts only from our own files; the admin prefixes have their own ---
CSP_MEDIA_ORIGINS = env_list("CSP_MEDIA_ORIGINS", media_origins_from_env())
CONTENT_SECURITY_POLICY = {"DIRECTIVES": csp_directives(media_origins=CSP_MEDIA_ORIGINS)}
ADMIN_CONTENT_SECURITY_POLICY = {"DIRECTIVES": csp_directives(media_origins=CSP_MEDIA_ORIGINS, admin=True)}

# --- Security defaults, tightened further in production.py ---
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 12
CSRF_COOKIE_HTTPONLY = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django-q": {"level": env_str("Q_LOG_LEVEL", "WARNING")},
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
    },
}

# --- Alumni network: messages relayed between alumni, per sender, counted over 24 hours ---
ALUMNI_MESSAGES_PER_DAY = env_int("ALUMNI_MESSAGES_PER_DAY", 10)
ALUMNI_MESSAGES_PER_RECIPIENT_PER_DAY = env_int("ALUMNI_MESSAGES_PER_RECIPIENT_PER_DAY", 2)
