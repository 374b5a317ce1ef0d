"""Organisers edit questionnaires and evaluation plans."""

from django.db import migrations

from evaluations.roles import grant_organiser_permissions


def grant(apps, schema_editor):
    grant_organiser_permissions(apps)


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0002_default_instruments_and_schedule"), ("courses", "0002_roles")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
