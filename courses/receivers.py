"""Keep CMS access in step with what is published (Wagtail announces publishing with a signal), and the shared
caches in step with what they show."""

from . import services
from .fragment_cache import touch
from .models import ProgrammeIndexPage, ProgrammePage


def on_page_published(sender, instance, **kwargs) -> None:
    if isinstance(instance, ProgrammePage):
        services.sync_partner_access(programme=instance)
    elif isinstance(instance, ProgrammeIndexPage):
        services.ensure_review_workflow(index=instance)


def on_pages_changed(**kwargs) -> None:
    """Titles and dates of programmes and sessions show on signed-in pages kept in the fragment cache."""
    touch("pages")


def on_organisation_changed(**kwargs) -> None:
    touch("organisations")
