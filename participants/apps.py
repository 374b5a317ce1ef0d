from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipantsConfig(AppConfig):
    name = "participants"
    verbose_name = _("Participants")

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from . import receivers
        from .models import Cohort, Invitation, Profile, Registration

        User = get_user_model()
        post_save.connect(receivers.on_registration_saved, sender=Registration, dispatch_uid="participants.saved")
        post_delete.connect(receivers.on_registration_deleted, sender=Registration, dispatch_uid="participants.deleted")
        for model, receiver in (
            (Invitation, receivers.on_invitation_changed),
            (Cohort, receivers.on_cohort_changed),
            (Profile, receivers.on_profile_changed),
            (User, receivers.on_user_changed),
        ):
            for name, signal in (("save", post_save), ("delete", post_delete)):
                signal.connect(receiver, sender=model, dispatch_uid=f"participants.{receiver.__name__}.{name}")
        m2m_changed.connect(receivers.on_groups_changed, sender=User.groups.through,
                            dispatch_uid="participants.on_groups_changed")  # fmt: skip
