import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from courses.permissions import ORGANISERS, TRAINERS
from tests.factories import UserFactory


@pytest.fixture
def organiser(db):
    """An organiser who has set up two-factor authentication (staff must)."""
    user = UserFactory(groups=[ORGANISERS])
    TOTP.activate(user, generate_totp_secret())
    return user


@pytest.fixture
def trainer(db):
    return UserFactory(groups=[TRAINERS])


@pytest.fixture
def private_files(settings, tmp_path):
    """Photos and packs written to a temporary private storage."""
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    return tmp_path
