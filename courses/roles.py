"""The role groups and what they may do in the CMS.

Called by the data migration (with its historical `apps`) and by `seed_demo` (with the live registry,
for a database that was flushed). Idempotent.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions

from .permissions import ORGANISERS, PARTNER_EDITORS, ROLE_GROUPS

PAGE_PERMISSIONS_FOR_ORGANISERS = [
    "add_page", "change_page", "publish_page", "bulk_delete_page", "lock_page", "unlock_page",
]  # fmt: skip
COLLECTION_PERMISSIONS_FOR_ORGANISERS = {
    "wagtailimages": ["add_image", "change_image", "delete_image", "choose_image"],
    "wagtaildocs": ["add_document", "change_document", "delete_document", "choose_document"],
}
ORGANISATION_PERMISSIONS = [
    "add_organisation", "change_organisation", "delete_organisation", "view_organisation", "set_session_length",
]  # fmt: skip


def ensure_permissions_exist(apps=global_apps, app_labels=None) -> None:
    """Permissions are normally created after all migrations run; a data migration needs them now."""
    for app_config in apps.get_app_configs():
        if app_labels is not None and app_config.label not in app_labels:
            continue
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None


def install_roles(apps=global_apps) -> None:
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    ensure_permissions_exist(apps)

    groups = {name: Group.objects.get_or_create(name=name)[0] for name in ROLE_GROUPS}
    organisers, partner_editors = groups[ORGANISERS], groups[PARTNER_EDITORS]
    access_admin = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    organisers.permissions.add(access_admin)
    partner_editors.permissions.add(access_admin)
    organisers.permissions.add(
        *Permission.objects.filter(content_type__app_label="courses", codename__in=ORGANISATION_PERMISSIONS)
    )

    root_page = Page.objects.filter(depth=1).first()
    if root_page is not None:
        for permission in Permission.objects.filter(
            content_type__app_label="wagtailcore", codename__in=PAGE_PERMISSIONS_FOR_ORGANISERS
        ):
            GroupPagePermission.objects.get_or_create(group=organisers, page=root_page, permission=permission)

    root_collection = Collection.objects.filter(depth=1).first()
    if root_collection is not None:
        for app_label, codenames in COLLECTION_PERMISSIONS_FOR_ORGANISERS.items():
            for permission in Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames):
                GroupCollectionPermission.objects.get_or_create(
                    group=organisers, collection=root_collection, permission=permission
                )


# name: (function, minutes between runs)
JOBS = {"Send the emails still owed (outbox sweeper)": ("courses.tasks.sweep_outbox", 1)}


def install_interval_jobs(jobs: dict[str, tuple[str, int]], apps=global_apps) -> None:
    """django-q2 schedules that run every so many minutes, from now on. Idempotent (by name)."""
    from django.utils import timezone

    Schedule = apps.get_model("django_q", "Schedule")
    for name, (func, minutes) in jobs.items():
        Schedule.objects.get_or_create(
            name=name,
            defaults={
                "func": func,
                "schedule_type": "I",
                "minutes": minutes,
                "repeats": -1,
                "next_run": timezone.now(),
            },
        )


def install_jobs(apps=global_apps) -> None:
    """The outbox sweeper's schedule; used by the migration and seed_demo."""
    install_interval_jobs(JOBS, apps)
