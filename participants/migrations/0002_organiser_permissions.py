"""Organisers manage cohorts and registrations; partner editors never see registrations."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ORGANISERS = "Organisers"


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    app_config = apps.get_app_config("participants")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    organisers = Group.objects.get(name=ORGANISERS)
    organisers.permissions.add(*Permission.objects.filter(content_type__app_label="participants"))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name=ORGANISERS):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="participants"))


class Migration(migrations.Migration):
    dependencies = [("participants", "0001_initial"), ("courses", "0002_roles")]

    operations = [migrations.RunPython(grant, revoke)]
