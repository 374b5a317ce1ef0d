"""Registrations made before the sector and nationality were recorded on them get their person's values."""

from django.db import migrations

from courses.models import sector_of_kind


def backfill(apps, schema_editor):
    Registration = apps.get_model("participants", "Registration")
    Profile = apps.get_model("participants", "Profile")
    profiles = {p.user_id: p for p in Profile.objects.select_related("organisation")}
    for registration in Registration.objects.filter(sector="other", country=""):
        profile = profiles.get(registration.user_id)
        if profile is None:
            continue
        registration.sector = sector_of_kind(profile.organisation.kind) if profile.organisation_id else "other"
        registration.country = profile.nationality or ""
        registration.save(update_fields=["sector", "country"])


class Migration(migrations.Migration):
    dependencies = [("participants", "0004_invitations")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
