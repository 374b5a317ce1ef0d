"""The Alumni group (people who attended a session) and the daily job that closes finished sessions."""

from django.db import migrations

from participants.roles import DAILY_JOBS, install_alumni_and_jobs


def install(apps, schema_editor):
    install_alumni_and_jobs(apps)


def uninstall(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name__in=list(DAILY_JOBS)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0007_attendance_and_pack"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
