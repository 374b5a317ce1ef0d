"""The default instruments of each kind, and the django-q2 schedule that runs the evaluation plan."""

from django.db import migrations

from evaluations.defaults import install_default_instruments
from evaluations.roles import JOBS, install_jobs


def install(apps, schema_editor):
    install_default_instruments(apps)
    install_jobs(apps)


def uninstall(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name__in=list(JOBS)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0001_instruments_surveys_responses"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
