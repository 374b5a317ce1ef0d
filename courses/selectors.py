from django.db.models import QuerySet
from wagtail.models import Page

from .models import ModulePage, ProgrammePage, SessionPage


def list_programmes(*, locale, parent=None) -> QuerySet[ProgrammePage]:
    programmes = ProgrammePage.objects.live().public().filter(locale=locale)
    if parent is not None:
        programmes = programmes.child_of(parent)
    return programmes.order_by("title")


def list_modules(*, programme: ProgrammePage) -> QuerySet[ModulePage]:
    return ModulePage.objects.live().child_of(programme).order_by("path")


def list_sessions(*, programme: ProgrammePage) -> QuerySet[SessionPage]:
    return SessionPage.objects.live().child_of(programme).order_by("-start_date")


def search_pages(*, query: str, locale) -> list:
    """Live, public programmes and modules in the visitor's language that match the query, best first."""
    if not query.strip():
        return []
    pages = Page.objects.live().public().type(ProgrammePage, ModulePage).filter(locale=locale).specific()
    return list(pages.search(query)[:50])
