"""What every benchmark needs before Django starts: its own PostgreSQL database."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/attache_bench")


def setup_local() -> None:
    """Development settings on the benchmarks' own SQLite database in var/bench/, DEBUG off."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "attache.settings.dev")
    os.environ.setdefault("ATTACHE_VAR_DIR", str(ROOT / "var" / "bench"))
    os.environ["DEBUG"] = "false"


def setup() -> None:
    """Point Django at the benchmark database (created if missing) with development settings, DEBUG off."""
    import psycopg

    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "attache.settings.dev")
    os.environ["DEBUG"] = "false"
    name = URL.rsplit("/", 1)[1]
    with psycopg.connect(URL.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def setup_production(url: str, redis_url: str) -> dict:
    """Production settings on loopback (plain HTTP, no TLS redirect) against `url` and `redis_url`, the database
    created if missing. Returns the environment, for the gunicorn the benchmark starts beside it."""
    import secrets

    import psycopg

    sys.path.insert(0, str(ROOT))
    env = {
        "DJANGO_SETTINGS_MODULE": "attache.settings.production",
        "DATABASE_URL": url,
        "REDIS_URL": redis_url,
        "SECRET_KEY": os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_SSL_REDIRECT": "false",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "ATTACHE_VAR_DIR": str(ROOT / "var" / "bench-scale"),
    }
    os.environ.update(env)
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')
    return {**os.environ, **env}
