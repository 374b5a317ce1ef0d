"""The daily job that keeps the Alumni group (and so the alumni space's privacy) in step with attendance."""

from django.db import migrations

from participants.roles import install_alumni_and_jobs


def install(apps, schema_editor):
    install_alumni_and_jobs(apps)


class Migration(migrations.Migration):
    dependencies = [("participants", "0009_profile_name_keys")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
