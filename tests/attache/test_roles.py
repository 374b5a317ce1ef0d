"""The role groups exist from the migrations, and each app answers role questions in one place."""

import pytest
from django.contrib.auth.models import Group

from courses.permissions import (
    ORGANISERS,
    PARTNER_EDITORS,
    TRAINERS,
    can_see_facilitator_notes,
    is_organiser,
    requires_mfa,
)
from participants.permissions import can_manage_cohorts
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_three_role_groups_are_created_by_migrations():
    assert set(Group.objects.values_list("name", flat=True)) >= {ORGANISERS, PARTNER_EDITORS, TRAINERS}


def test_organisers_reach_the_cms_and_manage_registrations():
    organiser = UserFactory(groups=[ORGANISERS])
    assert organiser.has_perm("wagtailadmin.access_admin")
    assert organiser.has_perm("participants.change_registration")
    assert organiser.has_perm("courses.add_organisation")
    assert is_organiser(organiser) and can_manage_cohorts(organiser) and requires_mfa(organiser)


def test_partner_editors_reach_the_cms_but_never_registrations():
    partner = UserFactory(groups=[PARTNER_EDITORS])
    assert partner.has_perm("wagtailadmin.access_admin")
    assert not partner.has_perm("participants.view_registration")
    assert not can_manage_cohorts(partner)
    assert not can_see_facilitator_notes(partner)  # only on programmes their organisation co-owns
    assert not requires_mfa(partner)


def test_trainers_see_facilitator_notes_but_do_not_manage_cohorts():
    trainer = UserFactory(groups=[TRAINERS])
    assert can_see_facilitator_notes(trainer)
    assert not can_manage_cohorts(trainer)


def test_a_participant_has_no_role():
    participant = UserFactory()
    assert not is_organiser(participant)
    assert not can_see_facilitator_notes(participant)
    assert not requires_mfa(participant)
