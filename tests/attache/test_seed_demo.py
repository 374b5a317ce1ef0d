"""`manage.py seed_demo` builds the demo once, in every script the brief names, and never in production."""

import unicodedata

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command
from django.test import override_settings

from attache.management.commands.seed_demo import DEMO_LOGINS, DEMO_PASSWORD
from courses.models import ModulePage, Organisation, ProgrammePage, SessionPage
from courses.permissions import is_organiser, is_partner_editor, is_trainer
from participants.models import Profile, Registration, RegistrationStatus

pytestmark = pytest.mark.django_db

SCRIPTS = {"ARABIC", "THAI", "KHMER", "LATIN", "LAO", "MYANMAR"}


def scripts_of(text: str) -> set[str]:
    return {unicodedata.name(char).split()[0] for char in text if char.isalpha()}


def counts() -> tuple:
    return (
        get_user_model().objects.count(),
        Profile.objects.count(),
        Organisation.objects.count(),
        Registration.objects.count(),
        ProgrammePage.objects.count(),
        ModulePage.objects.count(),
        SessionPage.objects.count(),
    )


def test_seed_demo_is_idempotent(demo):
    first = counts()
    call_command("seed_demo", verbosity=0)
    assert counts() == first


def test_the_demo_has_about_80_people_in_many_scripts(demo):
    profiles = list(Profile.objects.exclude(user__email__endswith="@applicants.example.org"))
    assert 75 <= len(profiles) <= 90
    # and about 30 applicants to the Amman call, most of them scored, for the shortlist assistant
    assert Profile.objects.filter(user__email__endswith="@applicants.example.org").count() == 30
    seen = set().union(*(scripts_of(p.native_name) for p in profiles))
    assert SCRIPTS <= seen
    assert any("ệ" in p.native_name or "ễ" in p.native_name or "Đ" in p.native_name for p in profiles)


def test_the_demo_logins_work_with_the_documented_password(demo):
    for email in DEMO_LOGINS:
        assert authenticate(username=email, password=DEMO_PASSWORD) is not None, email
    User = get_user_model()
    assert is_organiser(User.objects.get(email="organiser@example.org"))
    assert is_partner_editor(User.objects.get(email="partner@example.org"))
    assert is_trainer(User.objects.get(email="trainer@example.org"))


def test_the_demo_has_an_open_upcoming_session_and_a_past_one_with_alumni(demo):
    upcoming = SessionPage.objects.get(slug="amman-upcoming", locale__language_code="en")
    past = SessionPage.objects.get(slug="bangkok-past", locale__language_code="en")
    assert upcoming.length_in_days == 5 and past.length_in_days == 6
    assert upcoming.cohort.registrations.filter(status=RegistrationStatus.CONFIRMED).exists()
    assert past.cohort.registrations.filter(
        status=RegistrationStatus.ATTENDED, user__email="alumni@example.org"
    ).exists()
    partners = ProgrammePage.objects.get(locale__language_code="en").partners.all()
    assert len(partners) == 3
    assert len(upcoming.agenda) == 5 and len(past.agenda) == 6
    assert upcoming.trainers.filter(email="trainer@example.org").exists()


def test_the_demo_curriculum_covers_the_six_topics_of_the_course(demo):
    programme = ProgrammePage.objects.get(locale__language_code="en")
    slugs = list(ModulePage.objects.child_of(programme).values_list("slug", flat=True))
    assert slugs == ["migration-law", "recruitment-complaints", "trafficking-indicators", "referral",
                     "consular-protection", "action-planning"]  # fmt: skip
    assert all(module.specific.facilitator_notes for module in ModulePage.objects.child_of(programme))


@override_settings(ATTACHE_ENVIRONMENT="production")
def test_seed_demo_refuses_to_run_in_production():
    with pytest.raises(CommandError, match="production"):
        call_command("seed_demo", verbosity=0)
    assert get_user_model().objects.count() == 0
