"""Pages kept in the shared cache are rendered again when what they show changes (courses.fragment_cache).

Topics: ("cohort", pk) for a cohort's page and questionnaires; "network" and "directory" for the alumni network's
figures and directory, which show the names, sectors and organisations of people who attended a session and the
cohorts they attended. A registration that is not (or was not) attended changes neither: the many registrations
of an open call leave the network's pages in the cache."""

from courses.fragment_cache import touch

from .models import Registration, RegistrationStatus

AFTER_THE_SESSION = (RegistrationStatus.ATTENDED, RegistrationStatus.NO_SHOW)


def _topics_of_person(user_id) -> list:
    registrations = list(Registration.objects.filter(user_id=user_id).values_list("cohort_id", "status"))
    topics = [("cohort", cohort_id) for cohort_id, _status in registrations]
    if any(status in AFTER_THE_SESSION for _cohort, status in registrations):
        topics += ["network", "directory"]
    return topics


def on_registration_saved(sender, instance, **kwargs) -> None:
    # Attended and no-show are corrected into each other: either may have changed the network.
    network = ["network", "directory"] if instance.status in AFTER_THE_SESSION else []
    touch(("cohort", instance.cohort_id), *network)


def on_registration_deleted(sender, instance, **kwargs) -> None:
    touch(("cohort", instance.cohort_id), "network", "directory")


def on_invitation_changed(sender, instance, **kwargs) -> None:
    touch(("cohort", instance.cohort_id))


def on_cohort_changed(sender, instance, **kwargs) -> None:
    touch(("cohort", instance.pk), "network", "directory")


def on_profile_changed(sender, instance, **kwargs) -> None:
    topics = _topics_of_person(instance.user_id)
    if topics:
        touch(*topics)


def on_user_changed(sender, instance, update_fields=None, **kwargs) -> None:
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return  # signing in changes nothing that a page shows
    topics = _topics_of_person(instance.pk)
    if topics:
        touch(*topics)


def on_groups_changed(sender, instance, action, **kwargs) -> None:
    # Joining or leaving the Alumni group puts a person in or out of the directory.
    if action in ("post_add", "post_remove", "post_clear"):
        touch("network", "directory")
