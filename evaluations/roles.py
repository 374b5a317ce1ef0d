"""The periodic jobs of the evaluations app. Idempotent; used by the migration and seed_demo."""

from django.apps import apps as global_apps

# name: (function, minutes between runs)
JOBS = {"Run the evaluation schedule (open, invite, remind, close)": ("evaluations.tasks.run_schedule", 10)}


def install_jobs(apps=global_apps) -> None:
    from courses.roles import install_interval_jobs

    install_interval_jobs(JOBS, apps)


def grant_organiser_permissions(apps=global_apps) -> None:
    """Organisers edit the questionnaires (in the CMS) and the plans. Idempotent."""
    from participants.roles import grant_app_to_organisers

    grant_app_to_organisers("evaluations", apps)
