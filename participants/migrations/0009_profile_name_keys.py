"""Folded names for the alumni directory's search."""

from django.db import migrations, models

from participants.models import fold


def fill_keys(apps, schema_editor):
    Profile = apps.get_model("participants", "Profile")
    profiles = list(Profile.objects.all())
    for profile in profiles:
        profile.name_key = fold(f"{profile.preferred_name} {profile.full_name}".strip())
        profile.native_name_key = fold(profile.native_name)
    Profile.objects.bulk_update(profiles, ["name_key", "native_name_key"], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ('participants', '0008_alumni_and_daily_jobs'),
    ]

    operations = [
        migrations.AddField(
            model_name='profile',
            name='name_key',
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=400),
        ),
        migrations.AddField(
            model_name='profile',
            name='native_name_key',
            field=models.CharField(blank=True, editable=False, max_length=200),
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
    ]
