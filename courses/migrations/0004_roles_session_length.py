"""Organisers may allow a session of another length: re-run the idempotent role installer."""

from django.db import migrations

from courses.roles import install_roles


def refresh_roles(apps, schema_editor):
    install_roles(apps)


class Migration(migrations.Migration):
    dependencies = [("courses", "0003_programme_session_details")]

    operations = [migrations.RunPython(refresh_roles, migrations.RunPython.noop)]
