"""Read configuration from environment variables, with safe defaults.

Kept free of Django imports so that the settings modules and the tests can both use it.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlparse

import dj_database_url

TRUE_WORDS = {"1", "true", "yes", "on"}


class ConfigurationError(Exception):
    """A required environment variable is missing or malformed."""


def env_str(name: str, default: str = "", environ: os._Environ | dict | None = None) -> str:
    environ = os.environ if environ is None else environ
    return environ.get(name, default).strip()


def env_bool(name: str, default: bool = False, environ=None) -> bool:
    value = env_str(name, "", environ)
    if not value:
        return default
    return value.lower() in TRUE_WORDS


def env_int(name: str, default: int, environ=None) -> int:
    value = env_str(name, "", environ)
    if not value:
        return default
    try:
        return int(value)
    except ValueError as error:
        raise ConfigurationError(f"{name} must be a whole number, not {value!r}.") from error


def env_list(name: str, default: list[str], environ=None) -> list[str]:
    value = env_str(name, "", environ)
    if not value:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def sqlite_database(path: Path) -> dict:
    """SQLite tuned for a web app: WAL, a busy timeout and write locks taken at BEGIN."""
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        # Reuse a connection across requests: opening one costs more than most pages' queries.
        "CONN_MAX_AGE": 60,
        "OPTIONS": {
            # IMMEDIATE makes each write transaction take the database lock at BEGIN,
            # which is what stands in for SELECT ... FOR UPDATE on SQLite.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }


def database_from_env(default_sqlite_path: Path, environ=None) -> dict:
    """`DATABASE_URL` when set (PostgreSQL in production), else SQLite at the given path."""
    url = env_str("DATABASE_URL", "", environ)
    if not url:
        return sqlite_database(default_sqlite_path)
    if url.startswith("sqlite:"):
        parsed = dj_database_url.parse(url)
        return sqlite_database(Path(parsed["NAME"]))
    config = dj_database_url.parse(
        url,
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60, environ),
        conn_health_checks=True,
    )
    if config["ENGINE"] != "django.db.backends.postgresql":
        raise ConfigurationError("DATABASE_URL must be a postgres:// or sqlite:// URL.")
    return config


def redis_url_from_env(environ=None) -> str:
    url = env_str("REDIS_URL", "", environ)
    if url and urlparse(url).scheme not in {"redis", "rediss", "unix"}:
        raise ConfigurationError("REDIS_URL must start with redis://, rediss:// or unix://.")
    return url


def caches_from_env(environ=None) -> dict:
    """Redis when `REDIS_URL` is set (shared by every app server), else the database cache."""
    url = redis_url_from_env(environ)
    if url:
        return {
            "default": {
                "BACKEND": "attache.redis_cache.RedisCache",
                "LOCATION": url,
                "KEY_PREFIX": "attache",
                "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
            }
        }
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "attache_cache",
        }
    }


def q_cluster_from_env(environ=None) -> dict:
    """django-q2: Redis broker when `REDIS_URL` is set, else the ORM broker on the default database."""
    config = {
        "name": "attache",
        "workers": env_int("Q_WORKERS", 2, environ),
        "timeout": 300,
        # retry must exceed timeout, or a slow task is handed to a second worker.
        "retry": 360,
        "max_attempts": 5,
        "ack_failures": True,
        "catch_up": False,
        "save_limit": 1000,
        "label": "Tasks",
    }
    url = redis_url_from_env(environ)
    if url:
        config["redis"] = with_broker_timeouts(url)
    else:
        config["orm"] = "default"
        config["poll"] = 1
    return config


def with_broker_timeouts(url: str) -> str:
    """django-q2 opens its Redis connection with no time-out: a Redis host that stops answering would hang a page
    that queues a task for minutes. Connect within 2 s and read within 10 s (above the broker's 1 s BLPOP), unless
    the URL says otherwise."""
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    query.setdefault("socket_connect_timeout", "2")
    query.setdefault("socket_timeout", "10")
    return urlunsplit(parts._replace(query=urlencode(query)))


def storages_from_env(private_root: Path, environ=None) -> dict:
    """Media storages: local folders by default; an S3-compatible bucket when `MEDIA_S3_BUCKET` is set.

    "default" holds public media (CMS images and documents). "private" holds files about people (photos, session
    packs): our permission-checked views read them through the storage API, so they work on a bucket too, and the
    bucket's own URLs are never given out. Credentials are not settings: django-storages and boto3 read
    AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (or an instance role) themselves, so they never appear in settings.
    """
    bucket = env_str("MEDIA_S3_BUCKET", "", environ)
    if not bucket:
        return {
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},  # MEDIA_ROOT, MEDIA_URL
            "private": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": str(private_root), "base_url": None},
            },
        }
    connection = {
        "endpoint_url": env_str("AWS_S3_ENDPOINT_URL", "", environ),  # MinIO, Ceph, Scaleway, OVH...; empty: AWS
        "region_name": env_str("AWS_S3_REGION_NAME", "", environ),
        "addressing_style": env_str("AWS_S3_ADDRESSING_STYLE", "", environ),  # "path" for many S3-compatibles
    }
    # Like FileSystemStorage, never overwrite: a second "photo.jpg" gets its own name instead of replacing the first.
    common = {key: value for key, value in connection.items() if value} | {"file_overwrite": False}
    public = {
        **common,
        "bucket_name": bucket,
        "location": "media",
        # Public media keeps plain URLs (a signed URL expires inside cached pages); the bucket policy (or a CDN,
        # MEDIA_S3_CUSTOM_DOMAIN) makes media/ readable, and only media/.
        "querystring_auth": False,
    }
    custom_domain = env_str("MEDIA_S3_CUSTOM_DOMAIN", "", environ)
    if custom_domain:
        public["custom_domain"] = custom_domain
    private = {
        **common,
        "bucket_name": env_str("MEDIA_S3_PRIVATE_BUCKET", "", environ) or bucket,
        "location": "private",
        # No ACL header: objects are private unless a bucket policy says otherwise, and AWS buckets with ACLs
        # disabled (the default since 2023) refuse any canned ACL but bucket-owner-full-control.
        "default_acl": None,
        # Should a URL ever be built by mistake, it is signed and short-lived rather than public.
        "querystring_auth": True,
        "querystring_expire": 60,
    }
    return {
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": public},
        "private": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": private},
    }


def media_origins_from_env(environ=None) -> list[str]:
    """Where public media is served from when it is not this site (the bucket, its CDN), for the CSP's img-src."""
    if not env_str("MEDIA_S3_BUCKET", "", environ):
        return []
    custom_domain = env_str("MEDIA_S3_CUSTOM_DOMAIN", "", environ)
    if custom_domain:
        return [f"https://{custom_domain}"]
    endpoint = env_str("AWS_S3_ENDPOINT_URL", "", environ)
    if endpoint:
        scheme, _, rest = endpoint.partition("://")
        return [f"{scheme}://{rest.split('/', 1)[0]}"]
    # AWS itself: this bucket's own addresses (virtual-hosted, and path-style in its region), never any bucket.
    bucket = env_str("MEDIA_S3_BUCKET", "", environ)
    region = env_str("AWS_S3_REGION_NAME", "", environ)
    if region:
        return [f"https://{bucket}.s3.{region}.amazonaws.com", f"https://s3.{region}.amazonaws.com"]
    return [f"https://{bucket}.s3.amazonaws.com"]
