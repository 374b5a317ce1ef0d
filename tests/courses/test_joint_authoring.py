"""Partner editors edit only the programmes their organisation co-owns; the host approves and publishes."""

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import Workflow, WorkflowState

from courses.models import ModulePage, Organisation, ProgrammeIndexPage, ProgrammePage
from courses.permissions import ORGANISERS, PARTNER_EDITORS, TRAINERS
from courses.services import REVIEW_WORKFLOW_NAME, ensure_partner_group
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db
PROGRAMME_PATH = "/en/programmes/migrant-workers-rights-asia/"


@pytest.fixture
def programme_a(demo):
    return ProgrammePage.objects.get(slug="migrant-workers-rights-asia", locale__language_code="en")


@pytest.fixture
def programme_b(demo):
    """A second programme co-owned by an organisation the demo partner does not belong to."""
    index = ProgrammeIndexPage.objects.get(locale__language_code="en")
    programme = index.add_child(instance=ProgrammePage(title="Programme B", slug="programme-b", summary="B."))
    programme.partners.set([OrganisationFactory(name="Other NGO", acronym="ONGO")])
    programme.save_revision().publish()
    return programme


@pytest.fixture
def partner(demo):
    return get_user_model().objects.get(email="partner@example.org")


def test_each_partner_organisation_gets_its_own_editors_group(programme_a):
    groups = {o.acronym: o.editor_group.name for o in programme_a.partners.all()}
    assert groups == {"MMWSN": "Partner: MMWSN", "KWRF": "Partner: KWRF", "MMS": "Partner: MMS"}


def test_a_partner_editor_edits_and_submits_their_programme_but_cannot_publish(programme_a, partner):
    permissions = programme_a.permissions_for_user(partner)
    assert permissions.can_edit()
    assert permissions.can_submit_for_moderation()
    assert not permissions.can_publish()
    module = ModulePage.objects.child_of(programme_a).first()
    assert module.permissions_for_user(partner).can_edit()
    assert not module.permissions_for_user(partner).can_publish()


def test_a_partner_editor_is_refused_another_programmes_pages(client, programme_a, programme_b, partner):
    client.force_login(partner)
    assert client.get(f"/cms/pages/{programme_a.id}/edit/").status_code == 200
    # Wagtail answers a refused admin page with a redirect to the dashboard and a "permission denied" message.
    for url in [f"/cms/pages/{programme_b.id}/edit/", f"/cms/pages/{programme_b.id}/edit/preview/"]:
        response = client.get(url, follow=True)
        assert response.redirect_chain == [("/cms/", 302)], url
        assert "Sorry, you do not have permission to access this area." in response.content.decode()
    assert not programme_b.permissions_for_user(partner).can_edit()


def test_a_partner_editor_never_sees_another_programmes_drafts(client, programme_b, partner):
    programme_b.add_child(instance=ModulePage(title="Unpublished module of B", slug="draft", live=False))
    client.force_login(partner)
    for url in [f"/cms/pages/{programme_b.id}/", "/cms/pages/search/?q=Unpublished", "/cms/"]:
        response = client.get(url)
        assert response.status_code == 200
        assert "Unpublished module of B" not in response.content.decode(), url


def test_removing_a_partner_removes_its_editors_access(programme_a, partner):
    kwrf = Organisation.objects.get(acronym="KWRF")
    programme_a.partners.remove(kwrf)
    programme_a.save_revision().publish()
    assert not ProgrammePage.objects.get(pk=programme_a.pk).permissions_for_user(partner).can_edit()


def test_partners_edit_the_translations_of_their_programme_too(programme_a, partner):
    arabic = programme_a.get_translation(programme_a.get_translations().get(locale__language_code="ar").locale)
    assert arabic.permissions_for_user(partner).can_edit()


def test_changes_go_through_partner_review_then_host_approval(programme_a, partner):
    organiser = UserFactory(groups=[ORGANISERS])
    workflow = programme_a.get_workflow()
    assert workflow.name == REVIEW_WORKFLOW_NAME
    assert [task.name for task in workflow.tasks] == ["Partner review", "Host approval"]

    programme_a.summary = "A revised summary written by the partner."
    revision = programme_a.save_revision(user=partner)
    state = workflow.start(programme_a, partner)
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.current_task_state.task.name == "Partner review"

    reviewer = UserFactory(groups=[PARTNER_EDITORS])
    reviewer.groups.add(ensure_partner_group(organisation=Organisation.objects.get(acronym="MMS")))
    state.current_task_state.task.specific.on_action(state.current_task_state, reviewer, "approve")
    state.refresh_from_db()
    assert state.current_task_state.task.name == "Host approval"
    host_task = state.current_task_state.task.specific
    assert not host_task.user_can_access_editor(programme_a, partner) or partner not in host_task.groups.all()
    assert "approve" not in [action for action, *_ in host_task.get_actions(programme_a, partner)]
    assert "approve" in [action for action, *_ in host_task.get_actions(programme_a, organiser)]

    host_task.on_action(state.current_task_state, organiser, "approve")
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    programme_a.refresh_from_db()
    assert programme_a.live_revision_id == revision.id
    assert programme_a.summary == "A revised summary written by the partner."


def test_the_review_workflow_exists_once(demo):
    assert Workflow.objects.filter(name=REVIEW_WORKFLOW_NAME).count() == 1


@pytest.mark.parametrize(
    ("who", "sees_notes"),
    [("anonymous", False), ("participant", False), ("other_partner", False), ("partner", True),
     ("trainer", True), ("organiser", True)],
)  # fmt: skip
def test_facilitator_notes_are_shown_only_to_those_who_need_them(client, programme_a, programme_b, who, sees_notes):
    users = {
        "participant": lambda: UserFactory(),
        "other_partner": lambda: other_partner_of(programme_b),
        "partner": lambda: get_user_model().objects.get(email="partner@example.org"),
        "trainer": lambda: UserFactory(groups=[TRAINERS]),
        "organiser": lambda: organiser_with_mfa(),
    }
    if who != "anonymous":
        client.force_login(users[who]())
    response = client.get(PROGRAMME_PATH + "referral/")
    assert response.status_code == 200
    assert ("Confirm the shelter visit two days ahead" in response.content.decode()) is sees_notes
    if who != "anonymous":
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def other_partner_of(programme):
    user = UserFactory(groups=[PARTNER_EDITORS])
    user.groups.add(ensure_partner_group(organisation=programme.partners.get()))
    return user


def organiser_with_mfa():
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    organiser = UserFactory(groups=[ORGANISERS])
    TOTP.activate(organiser, generate_totp_secret())
    return organiser
