"""What the role groups may do with participants' data. Partner editors get nothing here, ever."""

from django.apps import apps as global_apps

from courses.permissions import ORGANISERS
from courses.roles import ensure_permissions_exist


def grant_app_to_organisers(app_label: str, apps=global_apps) -> None:
    """Every permission of one of our apps to the Organisers group. Idempotent."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ensure_permissions_exist(apps, app_labels={app_label})
    organisers, _ = Group.objects.get_or_create(name=ORGANISERS)
    organisers.permissions.add(*Permission.objects.filter(content_type__app_label=app_label))


def grant_organiser_permissions(apps=global_apps) -> None:
    """Organisers manage cohorts and registrations. Idempotent; used by the migration and seed_demo."""
    grant_app_to_organisers("participants", apps)


DAILY_JOBS = {
    # name: (function, hour of the day in UTC when it first runs)
    "Close the attendance of finished sessions": ("participants.tasks.close_finished_sessions", 2),
    "Keep the Alumni group in step with attendance": ("participants.tasks.sync_alumni_group", 3),
    "Purge invitations never accepted": ("participants.tasks.purge_unanswered_invitations", 4),
    "Forget audit entries past their retention": ("participants.tasks.forget_old_audit_entries", 4),
}


def install_alumni_and_jobs(apps=global_apps) -> None:
    """The Alumni group and the daily jobs of this app. Idempotent; used by the migration and seed_demo."""
    import datetime

    from django.utils import timezone

    from .permissions import ALUMNI

    apps.get_model("auth", "Group").objects.get_or_create(name=ALUMNI)
    Schedule = apps.get_model("django_q", "Schedule")
    for name, (func, hour) in DAILY_JOBS.items():
        first = timezone.now().replace(hour=hour, minute=0, second=0, microsecond=0) + datetime.timedelta(days=1)
        Schedule.objects.get_or_create(
            name=name, defaults={"func": func, "schedule_type": "D", "repeats": -1, "next_run": first}
        )
