"""Organisers manage cohorts and registrations; partner editors never see registrations."""

from django.db import migrations

from courses.permissions import ORGANISERS
from participants.roles import grant_organiser_permissions


def grant(apps, schema_editor):
    grant_organiser_permissions(apps)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name=ORGANISERS):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="participants"))


class Migration(migrations.Migration):
    dependencies = [("participants", "0001_initial"), ("courses", "0002_roles")]

    operations = [migrations.RunPython(grant, revoke)]
