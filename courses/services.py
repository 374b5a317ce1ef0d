"""Writes that matter in the courses app: who may edit which programme, and how changes get approved."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from .models import Organisation, ProgrammeIndexPage, ProgrammePage
from .permissions import ORGANISERS, PARTNER_EDITORS

REVIEW_WORKFLOW_NAME = "Partner review → Host approval"
PARTNER_PAGE_PERMISSIONS = ["add_page", "change_page"]  # edit and submit for approval; never publish
PARTNER_COLLECTION_PERMISSIONS = {
    "wagtaildocs": ["add_document", "change_document", "choose_document"],
    "wagtailimages": ["add_image", "change_image", "choose_image"],
}


def _permissions(app_label: str, codenames: list[str]):
    return Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)


@transaction.atomic
def ensure_partner_group(*, organisation: Organisation) -> Group:
    """The Wagtail group of one partner organisation's editors, with a collection for its handouts."""
    if organisation.editor_group_id:
        return organisation.editor_group
    label = organisation.acronym or organisation.name
    group, _ = Group.objects.get_or_create(name=f"Partner: {label}"[:150])
    organisation.editor_group = group
    organisation.save(update_fields=["editor_group"])

    root = Collection.get_first_root_node()
    collection = next((c for c in root.get_children() if c.name == f"Partner: {label}"), None)
    if collection is None:
        collection = root.add_child(name=f"Partner: {label}")
    for app_label, codenames in PARTNER_COLLECTION_PERMISSIONS.items():
        for permission in _permissions(app_label, codenames):
            GroupCollectionPermission.objects.get_or_create(group=group, collection=collection, permission=permission)
    # Partners may use the host's handouts and images, not change them.
    for permission in _permissions("wagtaildocs", ["choose_document"]) | _permissions(
        "wagtailimages", ["choose_image"]
    ):
        GroupCollectionPermission.objects.get_or_create(group=group, collection=root, permission=permission)
    return group


@transaction.atomic
def sync_partner_access(*, programme: ProgrammePage) -> None:
    """Let the editors of each co-owning organisation edit the programme (every translation), and no one else."""
    programme = programme.specific
    wanted = [ensure_partner_group(organisation=o) for o in programme.partners.all()]
    page_permissions = list(_permissions("wagtailcore", PARTNER_PAGE_PERMISSIONS))
    for page in programme.get_translations(inclusive=True):
        for group in wanted:
            for permission in page_permissions:
                GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)
        GroupPagePermission.objects.filter(page=page, group__partner_organisation__isnull=False).exclude(
            group__in=wanted
        ).delete()


@transaction.atomic
def ensure_review_workflow(*, index: ProgrammeIndexPage) -> Workflow:
    """Changes under the programme index go through partner review, then the host's approval before publishing."""
    workflow, created = Workflow.objects.get_or_create(name=REVIEW_WORKFLOW_NAME)
    if created:
        # Any partner editor (or the host's organisers, standing in for them) reviews; only the host approves.
        steps = [("Partner review", [PARTNER_EDITORS, ORGANISERS]), ("Host approval", [ORGANISERS])]
        for position, (name, group_names) in enumerate(steps):
            task, _ = GroupApprovalTask.objects.get_or_create(name=name)
            task.groups.set(Group.objects.filter(name__in=group_names))
            WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=position)
    for page in index.get_translations(inclusive=True):
        WorkflowPage.objects.update_or_create(page=page, defaults={"workflow": workflow})
    return workflow


def ensure_wagtail_foundations() -> None:
    """What Wagtail's migrations create (the root page and collection, the default locale), rebuilt after a flush."""
    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Locale, Page

    locale, _ = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    if Page.get_first_root_node() is None:
        ContentType.objects.clear_cache()  # a flush gave the content types new ids
        Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
