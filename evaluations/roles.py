"""The periodic jobs of the evaluations app. Idempotent; used by the migration and seed_demo."""

from django.apps import apps as global_apps

# name: (function, minutes between runs)
JOBS = {"Run the evaluation schedule (open, invite, remind, close)": ("evaluations.tasks.run_schedule", 10)}


def install_jobs(apps=global_apps) -> None:
    from django.utils import timezone

    Schedule = apps.get_model("django_q", "Schedule")
    for name, (func, minutes) in JOBS.items():
        Schedule.objects.get_or_create(
            name=name,
            defaults={
                "func": func,
                "schedule_type": "I",
                "minutes": minutes,
                "repeats": -1,
                "next_run": timezone.now(),
            },
        )


def grant_organiser_permissions(apps=global_apps) -> None:
    """Organisers edit the questionnaires (in the CMS) and the plans. Idempotent."""
    from participants.roles import grant_app_to_organisers

    grant_app_to_organisers("evaluations", apps)
