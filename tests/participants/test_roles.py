"""Role membership: the services' rules against the database, then the organisers' page."""

import pytest
from django.contrib.auth.models import Group

from courses.permissions import ALUMNI, ORGANISERS, PARTNER_EDITORS, REVIEWERS, TRAINERS
from courses.services import ensure_partner_group
from participants.models import AuditEntry
from participants.services import MembershipError, add_to_role, remove_from_role
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def group(name: str) -> Group:
    return Group.objects.get(name=name)


def test_an_organiser_adds_a_person_by_email_whatever_its_case_and_it_is_logged(organiser):
    person = UserFactory(email="Leila.Haddad@example.org")
    add_to_role(group=group(TRAINERS), email="leila.haddad@EXAMPLE.org ", by=organiser)
    assert person.groups.filter(name=TRAINERS).exists()
    entry = AuditEntry.objects.get(action=AuditEntry.Action.ROLES)
    assert (entry.actor, entry.subject) == (organiser, person)
    assert entry.details == {"code": "role_added", "role": TRAINERS}


def test_an_unknown_address_or_a_second_addition_is_explained(organiser):
    with pytest.raises(MembershipError, match="No account uses nobody@example.org"):
        add_to_role(group=group(TRAINERS), email="nobody@example.org", by=organiser)
    person = UserFactory(groups=[TRAINERS])
    with pytest.raises(MembershipError, match="in this role already"):
        add_to_role(group=group(TRAINERS), email=person.email, by=organiser)


def test_a_partners_group_brings_partner_editors_with_it(organiser):
    partner = ensure_partner_group(organisation=OrganisationFactory(name="Workers Aid", acronym="WA"))
    person = UserFactory()
    joined = add_to_role(group=partner, email=person.email, by=organiser)
    assert {g.name for g in joined} == {"Partner: WA", PARTNER_EDITORS}
    assert AuditEntry.objects.filter(action=AuditEntry.Action.ROLES, subject=person).count() == 2


def test_alumni_and_other_groups_are_not_handed_out_here(organiser):
    alumni, _ = Group.objects.get_or_create(name=ALUMNI)
    person = UserFactory(groups=[ALUMNI])
    with pytest.raises(MembershipError):
        add_to_role(group=alumni, email=UserFactory().email, by=organiser)
    with pytest.raises(MembershipError):
        remove_from_role(group=alumni, user=person, by=organiser)


def test_an_organiser_removes_someone_but_never_their_own_organiser_role(organiser):
    other = UserFactory(groups=[ORGANISERS])
    with pytest.raises(MembershipError, match="cannot remove yourself"):
        remove_from_role(group=group(ORGANISERS), user=organiser, by=organiser)
    assert organiser.groups.filter(name=ORGANISERS).exists()
    remove_from_role(group=group(ORGANISERS), user=other, by=organiser)
    assert not other.groups.filter(name=ORGANISERS).exists()
    entry = AuditEntry.objects.get(action=AuditEntry.Action.ROLES)
    assert (entry.details, entry.subject) == ({"code": "role_removed", "role": ORGANISERS}, other)


def test_a_removed_organiser_loses_the_pages_at_once(client, organiser):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    other = UserFactory(groups=[ORGANISERS])
    TOTP.activate(other, generate_totp_secret())
    client.force_login(other)
    assert client.get("/en/organise/roles/").status_code == 200
    remove_from_role(group=group(ORGANISERS), user=other, by=organiser)
    assert client.get("/en/organise/roles/").status_code == 403


# --- The page: wiring ---


def test_the_roles_page_lists_members_adds_and_shows_errors_next_to_the_field(
    client, organiser, django_assert_max_num_queries
):
    trainers = group(TRAINERS)
    UserFactory(email="trainer.one@example.org", groups=[TRAINERS])
    client.force_login(organiser)
    with django_assert_max_num_queries(15):
        page = client.get("/en/organise/roles/")
    assert page.status_code == 200 and "trainer.one@example.org" in page.text
    assert [g.name for g in page.context["groups"]] == [ORGANISERS, PARTNER_EDITORS, TRAINERS, REVIEWERS]
    assert "/en/organise/roles/" in client.get("/en/organise/cohorts/").text
    response = client.post("/en/organise/roles/", {"group": trainers.pk, f"role-{trainers.pk}-email": "x@example.org"})
    assert response.status_code == 200
    assert f'aria-describedby="id_role-{trainers.pk}-email_error"' in response.text
    assert "No account uses x@example.org" in response.text and 'value="x@example.org"' in response.text
    newcomer = UserFactory()
    response = client.post("/en/organise/roles/", {"group": trainers.pk, f"role-{trainers.pk}-email": newcomer.email})
    assert response.status_code == 302 and response["Location"] == "/en/organise/roles/"
    assert newcomer.groups.filter(pk=trainers.pk).exists()


def test_removing_asks_first_then_removes_and_never_the_organiser_themselves(client, organiser):
    trainers = group(TRAINERS)
    trainer = UserFactory(groups=[TRAINERS])
    client.force_login(organiser)
    url = f"/en/organise/roles/{trainers.pk}/members/{trainer.pk}/remove/"
    assert client.get(url).status_code == 200
    assert trainer.groups.filter(pk=trainers.pk).exists()
    assert client.post(url).status_code == 302
    assert not trainer.groups.filter(pk=trainers.pk).exists()
    assert client.get(url).status_code == 404  # no longer a member
    own = f"/en/organise/roles/{group(ORGANISERS).pk}/members/{organiser.pk}/remove/"
    assert "cannot remove yourself" in client.get(own).text
    response = client.post(own, follow=True)
    assert "cannot remove yourself" in response.text
    assert organiser.groups.filter(name=ORGANISERS).exists()


def test_the_roles_page_names_the_roles_in_the_readers_language(client, organiser):
    client.force_login(organiser)
    assert "Organisateurs" in client.get("/fr/organise/roles/").text
    assert "المدربون" in client.get("/ar/organise/roles/").text
