"""Keep CMS access in step with what is published (Wagtail announces publishing with a signal)."""

from . import services
from .models import ProgrammeIndexPage, ProgrammePage


def on_page_published(sender, instance, **kwargs) -> None:
    if isinstance(instance, ProgrammePage):
        services.sync_partner_access(programme=instance)
    elif isinstance(instance, ProgrammeIndexPage):
        services.ensure_review_workflow(index=instance)
