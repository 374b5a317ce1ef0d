from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = _("Evaluations")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from . import receivers
        from .models import Collaboration, Delivery, DirectoryListing, Instrument, Question, Response, Survey, Tie

        for model, receiver in (
            (Response, receivers.on_response_changed),
            (Delivery, receivers.on_response_changed),  # who was asked
            (Survey, receivers.on_survey_changed),
            (Instrument, receivers.on_instrument_changed),
            (Question, receivers.on_instrument_changed),
            (Tie, receivers.on_tie_changed),
            (Collaboration, receivers.on_tie_changed),
            (DirectoryListing, receivers.on_listing_changed),
        ):
            for name, signal in (("save", post_save), ("delete", post_delete)):
                signal.connect(receiver, sender=model, dispatch_uid=f"evaluations.{model.__name__}.{name}")
