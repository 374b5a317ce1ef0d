"""Deployment: media storages from the environment, gunicorn's settings, and the backup that really restores."""

import datetime
import importlib.util
import os
import secrets
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from attache.settings.env import storages_from_env

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = ROOT / "scripts"
S3 = "storages.backends.s3.S3Storage"
# The variables that would make a subprocess use another database, cache or storage than the one a test gives it.
INHERITED = {
    "DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "MEDIA_S3_BUCKET",
    "MEDIA_ROOT", "PRIVATE_MEDIA_ROOT", "BACKUP_DIR", "BACKUP_KEEP_DAYS",
}  # fmt: skip


# --- Media storages ---


def test_without_a_bucket_media_stay_in_local_folders_and_private_files_have_no_url(tmp_path):
    storages = storages_from_env(tmp_path / "private", environ={})
    assert storages["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert storages["private"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert storages["private"]["OPTIONS"] == {"location": str(tmp_path / "private"), "base_url": None}


def test_a_bucket_puts_public_and_private_media_on_s3_under_separate_prefixes(tmp_path):
    environ = {
        "MEDIA_S3_BUCKET": "attache-media",
        "AWS_S3_ENDPOINT_URL": "https://s3.example.net",
        "AWS_S3_REGION_NAME": "eu-west-3",
        "AWS_ACCESS_KEY_ID": "AKIAEXAMPLE",
        "AWS_SECRET_ACCESS_KEY": "not-a-real-secret",
    }
    storages = storages_from_env(tmp_path, environ=environ)
    public, private = storages["default"], storages["private"]
    assert public["BACKEND"] == private["BACKEND"] == S3
    assert public["OPTIONS"]["bucket_name"] == private["OPTIONS"]["bucket_name"] == "attache-media"
    assert (public["OPTIONS"]["location"], private["OPTIONS"]["location"]) == ("media", "private")
    assert public["OPTIONS"]["querystring_auth"] is False  # plain URLs: pages with images are cached
    assert private["OPTIONS"]["querystring_auth"] is True
    for options in (public["OPTIONS"], private["OPTIONS"]):
        assert options["endpoint_url"] == "https://s3.example.net"
        assert options["region_name"] == "eu-west-3"
        assert options["file_overwrite"] is False
    # Credentials stay in the environment, where django-storages reads them; they are never settings.
    assert "not-a-real-secret" not in repr(storages) and "AKIAEXAMPLE" not in repr(storages)


def test_private_files_may_have_a_bucket_of_their_own(tmp_path):
    storages = storages_from_env(
        tmp_path, environ={"MEDIA_S3_BUCKET": "attache-media", "MEDIA_S3_PRIVATE_BUCKET": "attache-private"}
    )
    assert storages["default"]["OPTIONS"]["bucket_name"] == "attache-media"
    assert storages["private"]["OPTIONS"]["bucket_name"] == "attache-private"
    assert "endpoint_url" not in storages["private"]["OPTIONS"]  # AWS itself when no endpoint is given


def test_the_s3_storages_build_plain_public_urls_and_signed_private_ones_without_the_network(tmp_path, monkeypatch):
    from storages.backends.s3 import S3Storage

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "not-a-real-secret")
    storages = storages_from_env(
        tmp_path,
        environ={"MEDIA_S3_BUCKET": "attache-media", "AWS_S3_ENDPOINT_URL": "https://s3.example.net",
                 "AWS_S3_REGION_NAME": "eu-west-3", "AWS_S3_ADDRESSING_STYLE": "path"},
    )  # fmt: skip
    public = S3Storage(**storages["default"]["OPTIONS"])
    private = S3Storage(**storages["private"]["OPTIONS"])
    assert public.url("images/programme.jpg") == "https://s3.example.net/attache-media/media/images/programme.jpg"
    signed = urlparse(private.url("photos/face.png"))
    assert signed.path == "/attache-media/private/photos/face.png"
    assert "Signature" in signed.query and "Expires=60" in signed.query.replace("X-Amz-", "")


@pytest.mark.django_db
def test_photos_and_packs_are_read_through_the_storage_not_a_local_path(client, trainer, monkeypatch):
    """A bucket has no local path: the views must stream the file through the storage API (here, in memory)."""
    from django.core.files.storage import InMemoryStorage

    from participants.models import Profile, Registration, RegistrationStatus, SessionPack
    from tests.factories import CohortFactory, make_session, person

    class Bucket(InMemoryStorage):
        def _relative_path(self, name):
            return os.path.relpath(InMemoryStorage.path(self, name), self.location)

        def path(self, name):
            raise NotImplementedError("like S3, this storage has no local path")

    # The fields took their storage when the models were loaded (a callable storage is called once): replace it there.
    remote = Bucket()
    monkeypatch.setattr(Profile._meta.get_field("photo"), "storage", remote)
    monkeypatch.setattr(SessionPack._meta.get_field("file"), "storage", remote)
    start = timezone.localdate() - datetime.timedelta(days=1)
    session = make_session("remote", start_date=start, end_date=start + datetime.timedelta(days=4))
    session.trainers.add(trainer)
    session.save()  # a page's many-to-many (modelcluster) is written when the page is
    cohort = CohortFactory(session=session)
    user = person("civil_society", "KH")
    user.profile.consent_photo = True
    user.profile.photo.save("face.png", ContentFile(b"\x89PNG not really"))
    registration = Registration.objects.create(
        cohort=cohort, user=user, sector="civil_society", country="KH", status=RegistrationStatus.CONFIRMED
    )
    pack = SessionPack.objects.create(cohort=cohort, status=SessionPack.Status.READY)
    pack.file.save("pack.zip", ContentFile(b"PK zip bytes"))

    client.force_login(trainer)
    photo = client.get(reverse("participants:photo", kwargs={"pk": registration.pk}))
    assert photo.status_code == 200 and b"".join(photo.streaming_content) == b"\x89PNG not really"
    download = client.get(reverse("participants:pack_download", kwargs={"pk": cohort.pk}))
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"PK zip bytes"


# --- gunicorn.conf.py ---


def load_gunicorn_conf(monkeypatch, cores: int = 2, **environ: str):
    for name in ("GUNICORN_BIND", "WEB_CONCURRENCY", "FORWARDED_ALLOW_IPS", "GUNICORN_TIMEOUT", "GUNICORN_THREADS",
                 "GUNICORN_CONTROL_SOCKET", "GUNICORN_ACCESS_LOG"):  # fmt: skip
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(cores)), raising=False)
    spec = importlib.util.spec_from_file_location("gunicorn_conf_under_test", ROOT / "gunicorn.conf.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_gunicorn_defaults_listen_on_loopback_with_sync_workers_recycled_with_jitter(monkeypatch):
    conf = load_gunicorn_conf(monkeypatch, cores=2)
    assert conf.bind == ["127.0.0.1:8000"]
    assert conf.workers == 5  # 2 x 2 cores + 1
    assert (conf.worker_class, conf.threads) == ("sync", 1)
    assert conf.max_requests == 10000 and 0 < conf.max_requests_jitter < conf.max_requests
    assert conf.graceful_timeout <= conf.timeout
    assert conf.preload_app is True
    assert conf.forwarded_allow_ips == "127.0.0.1,::1"
    assert conf.accesslog == "-" and "%(M)s" in conf.access_log_format  # stdout, with the time taken
    assert "%(f)s" not in conf.access_log_format  # no referrer: it can carry a personal link's token
    assert conf.wsgi_app == "attache.wsgi:application"
    assert conf.control_socket_disable is True


def test_gunicorn_workers_are_capped_on_big_machines_unless_web_concurrency_says_otherwise(monkeypatch):
    assert load_gunicorn_conf(monkeypatch, cores=32).workers == 8
    assert load_gunicorn_conf(monkeypatch, cores=32, WEB_CONCURRENCY="12").workers == 12


def test_gunicorn_reads_its_address_proxy_and_timeout_from_the_environment(monkeypatch, tmp_path):
    conf = load_gunicorn_conf(
        monkeypatch,
        GUNICORN_BIND="0.0.0.0:8000, unix:/run/attache.sock",
        FORWARDED_ALLOW_IPS="10.0.0.0/8",
        GUNICORN_TIMEOUT="90",
        GUNICORN_CONTROL_SOCKET=str(tmp_path / "attache.ctl"),
    )
    assert conf.bind == ["0.0.0.0:8000", "unix:/run/attache.sock"]
    assert conf.forwarded_allow_ips == "10.0.0.0/8"
    assert conf.timeout == 90
    assert (conf.control_socket_disable, conf.control_socket) == (False, str(tmp_path / "attache.ctl"))


def test_every_setting_of_gunicorn_conf_is_one_gunicorn_knows_and_accepts(monkeypatch):
    from gunicorn.config import Config

    conf = load_gunicorn_conf(monkeypatch)
    config = Config()
    names = [name for name in vars(conf) if not name.startswith("_") and name.islower() and name != "os"]
    assert {"bind", "workers", "timeout", "preload_app", "forwarded_allow_ips"} <= set(names)
    for name in names:
        assert name in config.settings, f"gunicorn has no setting {name!r}"
        config.set(name, getattr(conf, name))  # validates the value, as gunicorn does when it loads the file
    assert config.workers == 5 and config.max_requests == 10000


# --- Backup and restore (PostgreSQL) ---


def clean_env(**extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in INHERITED}
    return {**env, "PYTHON": sys.executable, **extra}


def run(command: list[str], env: dict[str, str], timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)


def postgres_server() -> str:
    """The server of DATABASE_URL when it is PostgreSQL (make test-postgres), else the local one."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        return url.split("?", 1)[0].rsplit("/", 1)[0]
    return "postgres://postgres@127.0.0.1:5432"


@pytest.fixture
def pg_server():
    missing = [tool for tool in ("pg_dump", "pg_restore", "psql") if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"PostgreSQL's client tools are missing ({', '.join(missing)}): apt-get install postgresql-client")
    import psycopg

    server = postgres_server()
    try:
        psycopg.connect(f"{server}/postgres", connect_timeout=3).close()
    except psycopg.OperationalError as error:
        pytest.skip(f"PostgreSQL is not reachable at {server} ({error}); make test-postgres runs this test")
    return server


def database_exists(server: str, name: str) -> bool:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        return connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None


@pytest.fixture
def throwaway_database(pg_server):
    """A database of its own for the scripts to back up, dropped afterwards whatever happens."""
    import psycopg

    name = f"attache_deploy_test_{secrets.token_hex(4)}"
    with psycopg.connect(f"{pg_server}/postgres", autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    yield f"{pg_server}/{name}"
    with psycopg.connect(f"{pg_server}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def scratch_name(output: str) -> str:
    return output.split("scratch database ", 1)[1].split()[0]


def test_a_backup_restores_into_a_scratch_database_that_passes_the_checks(throwaway_database, pg_server, tmp_path):
    import psycopg

    migrated = run([sys.executable, "manage.py", "migrate", "--noinput"], clean_env(DATABASE_URL=throwaway_database))
    assert migrated.returncode == 0, migrated.stderr
    with psycopg.connect(throwaway_database, autocommit=True) as connection:
        connection.execute("INSERT INTO auth_group (name) VALUES ('Backed up on purpose')")
        groups = connection.execute("SELECT count(*) FROM auth_group").fetchone()[0]
    media, private, backups = tmp_path / "media", tmp_path / "private", tmp_path / "backups"
    (media / "images").mkdir(parents=True)
    (media / "images" / "programme.jpg").write_bytes(b"jpeg")
    (private / "photos").mkdir(parents=True)
    (private / "photos" / "face.png").write_bytes(b"png")
    backups.mkdir()
    old = backups / "attache-20200101-000000.dump"
    old.write_bytes(b"an old backup")
    unrelated = backups / "notes.txt"
    unrelated.write_text("not ours")
    month_ago = time.time() - 30 * 86400
    for path in (old, unrelated):
        os.utime(path, (month_ago, month_ago))
    env = clean_env(
        DATABASE_URL=throwaway_database, MEDIA_ROOT=str(media), PRIVATE_MEDIA_ROOT=str(private), BACKUP_KEEP_DAYS="7"
    )

    backup = run([str(SCRIPTS / "backup.sh"), str(backups)], env)

    assert backup.returncode == 0, backup.stderr
    dumps = sorted(backups.glob("attache-*.dump"))
    assert len(dumps) == 1 and dumps[0] != old  # the month-old one is gone...
    assert unrelated.exists()  # ...and only this script's own files are ever deleted
    assert dumps[0].stat().st_mode & 0o077 == 0  # personal data: readable by its owner only
    stamp = dumps[0].name.removesuffix(".dump")
    with tarfile.open(backups / f"{stamp}-media.tar.gz") as archive:
        assert "./images/programme.jpg" in archive.getnames()
    with tarfile.open(backups / f"{stamp}-private.tar.gz") as archive:
        assert "./photos/face.png" in archive.getnames()

    check = run([str(SCRIPTS / "restore_check.sh"), str(backups)], env)

    assert check.returncode == 0, check.stdout + check.stderr
    assert f"auth_group: {groups} rows" in check.stdout
    assert "restore check: OK" in check.stdout
    assert not database_exists(pg_server, scratch_name(check.stdout))
    assert database_exists(pg_server, throwaway_database.rsplit("/", 1)[1])  # the source is never touched


def test_a_dump_that_does_not_restore_fails_the_check_and_leaves_no_scratch_database(pg_server, tmp_path):
    (tmp_path / "attache-20991231-235959.dump").write_bytes(b"not a pg_dump archive")

    check = run([str(SCRIPTS / "restore_check.sh"), str(tmp_path)], clean_env(DATABASE_URL=f"{pg_server}/postgres"))

    assert check.returncode != 0
    assert "FAILED" in check.stderr and "pg_restore" in check.stderr
    assert not database_exists(pg_server, scratch_name(check.stdout))


def test_the_scripts_refuse_to_run_without_what_they_need(tmp_path):
    no_database = run([str(SCRIPTS / "backup.sh"), str(tmp_path)], clean_env())
    assert no_database.returncode != 0 and "DATABASE_URL" in no_database.stderr
    sqlite = run([str(SCRIPTS / "backup.sh"), str(tmp_path)], clean_env(DATABASE_URL="sqlite:///var/x.sqlite3"))
    assert sqlite.returncode != 0 and "postgres://" in sqlite.stderr
    empty = run(
        [str(SCRIPTS / "restore_check.sh"), str(tmp_path)], clean_env(DATABASE_URL="postgres://nobody@127.0.0.1/x")
    )
    assert empty.returncode != 0 and "no attache-*.dump" in empty.stderr
