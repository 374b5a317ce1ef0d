import os

import pytest
from django.core.cache import cache

# Playwright's sync API runs an event loop in the test thread; Django must still allow ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters and cached pages must not leak from one test into the next (Redis in CI)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """A request under /ar/ leaves Arabic active in the thread; each test starts in English."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture
def demo(db):
    """The full demo data set, as `make run` loads it."""
    from django.core.management import call_command

    call_command("seed_demo", verbosity=0)


@pytest.fixture
def organiser(db):
    """An organiser who has set up two-factor authentication (staff must)."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from courses.permissions import ORGANISERS
    from tests.factories import UserFactory

    user = UserFactory(groups=[ORGANISERS])
    TOTP.activate(user, generate_totp_secret())
    return user


@pytest.fixture
def trainer(db):
    from courses.permissions import TRAINERS
    from tests.factories import UserFactory

    return UserFactory(groups=[TRAINERS])


@pytest.fixture
def private_files(settings, monkeypatch, tmp_path):
    """Photos, packs and application files written to a temporary private storage: the setting for what reads it
    now, and the file fields that took the private storage at start-up (a field holds its storage object)."""
    from django.apps import apps
    from django.core.files.storage import FileSystemStorage
    from django.db.models import FileField

    from participants.models import private_storage

    settings.STORAGES = {
        **settings.STORAGES,
        "private": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    temporary = FileSystemStorage(location=tmp_path)
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, FileField) and getattr(field, "_storage_callable", None) is private_storage:
                monkeypatch.setattr(field, "storage", temporary)
    return tmp_path
