"""What the role groups may do with participants' data. Partner editors get nothing here, ever."""

from django.apps import apps as global_apps

from courses.permissions import ORGANISERS
from courses.roles import ensure_permissions_exist


def grant_organiser_permissions(apps=global_apps) -> None:
    """Organisers manage cohorts and registrations. Idempotent; used by the migration and seed_demo."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ensure_permissions_exist(apps, app_labels={"participants"})
    organisers, _ = Group.objects.get_or_create(name=ORGANISERS)
    organisers.permissions.add(*Permission.objects.filter(content_type__app_label="participants"))
