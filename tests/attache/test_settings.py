"""Settings come from the environment, with safe defaults."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from attache.settings.env import (
    ConfigurationError,
    caches_from_env,
    database_from_env,
    env_bool,
    env_list,
    q_cluster_from_env,
)

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_without_database_url_the_database_is_sqlite_in_wal_mode_with_immediate_transactions(tmp_path):
    config = database_from_env(tmp_path / "db.sqlite3", environ={})
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == str(tmp_path / "db.sqlite3")
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert config["OPTIONS"]["timeout"] >= 5
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]


def test_database_url_selects_postgresql_with_persistent_connections(tmp_path):
    config = database_from_env(
        tmp_path / "unused.sqlite3",
        environ={"DATABASE_URL": "postgres://app:s3cret@db.internal:6432/attache"},
    )
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"], config["USER"]) == (
        "db.internal",
        6432,
        "attache",
        "app",
    )
    assert config["CONN_MAX_AGE"] == 60
    assert config["CONN_HEALTH_CHECKS"] is True


def test_an_unsupported_database_url_is_refused_with_a_clear_message(tmp_path):
    with pytest.raises(ConfigurationError, match="postgres://"):
        database_from_env(tmp_path / "x", environ={"DATABASE_URL": "mysql://root@localhost/attache"})


def test_redis_url_moves_the_cache_and_the_task_broker_to_redis():
    environ = {"REDIS_URL": "redis://cache.internal:6379/2"}
    assert caches_from_env(environ)["default"]["BACKEND"] == "attache.redis_cache.RedisCache"
    assert caches_from_env(environ)["default"]["LOCATION"] == "redis://cache.internal:6379/2"
    q_cluster = q_cluster_from_env(environ)
    # The broker connects within 2 s and reads within 10 s: a Redis that stops answering never hangs a page.
    assert q_cluster["redis"] == "redis://cache.internal:6379/2?socket_connect_timeout=2&socket_timeout=10"
    assert "orm" not in q_cluster


def test_without_redis_the_cache_and_broker_use_the_database():
    assert caches_from_env({})["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    q_cluster = q_cluster_from_env({})
    assert q_cluster["orm"] == "default"
    assert "redis" not in q_cluster
    assert q_cluster["retry"] > q_cluster["timeout"]


def test_a_malformed_redis_url_is_refused():
    with pytest.raises(ConfigurationError, match="REDIS_URL"):
        caches_from_env({"REDIS_URL": "http://localhost:6379"})


def test_booleans_and_lists_are_read_leniently():
    assert env_bool("DEBUG", environ={"DEBUG": "Yes"}) is True
    assert env_bool("DEBUG", environ={"DEBUG": "0"}) is False
    assert env_bool("DEBUG", True, environ={}) is True
    assert env_list("ALLOWED_HOSTS", ["x"], environ={"ALLOWED_HOSTS": " a.org, b.org ,,"}) == [
        "a.org",
        "b.org",
    ]


def test_manage_py_uses_the_development_settings_by_default():
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.SETTINGS_MODULE, settings.DEBUG)",
        env={},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == ["attache.settings.dev", "True"]


def test_production_settings_pass_the_deploy_check_without_a_single_warning():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={
            "DJANGO_SETTINGS_MODULE": "attache.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(60),
            "ALLOWED_HOSTS": "attache.example.org",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key():
    result = run_manage(
        "check",
        env={"DJANGO_SETTINGS_MODULE": "attache.settings.production", "ALLOWED_HOSTS": "attache.example.org"},
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_emailed_links_follow_the_port_make_run_serves_on():
    script = "from django.conf import settings; print(settings.SITE_URL)"
    env = {"DJANGO_SETTINGS_MODULE": "attache.settings.dev", "PORT": "8123"}
    assert run_manage("shell", "-c", script, env=env).stdout.strip().splitlines()[-1] == "http://127.0.0.1:8123"
    env["SITE_URL"] = "https://attache.example.org"
    assert run_manage("shell", "-c", script, env=env).stdout.strip().splitlines()[-1] == "https://attache.example.org"


@pytest.mark.django_db
def test_the_cms_asks_no_third_party_for_avatars(client):
    from tests.factories import UserFactory

    editor = UserFactory(is_superuser=True, is_staff=True, email="editor@example.org")
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(editor, generate_totp_secret())
    client.force_login(editor)
    page = client.get("/cms/")
    assert page.status_code == 200 and "gravatar" not in page.text
