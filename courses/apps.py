from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses")

    def ready(self) -> None:
        from django.db.models.signals import post_delete
        from wagtail.models import Page
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from .page_cache import forget_public_pages
        from .receivers import on_page_published

        page_published.connect(on_page_published, dispatch_uid="courses.on_page_published")
        # Any change to what is published may show on other pages (menus, listings): a new cache generation.
        page_published.connect(forget_public_pages, dispatch_uid="courses.forget_on_publish")
        page_unpublished.connect(forget_public_pages, dispatch_uid="courses.forget_on_unpublish")
        post_page_move.connect(forget_public_pages, dispatch_uid="courses.forget_on_move")
        # Deleting a page of any type deletes its Page row too (multi-table inheritance): one receiver suffices.
        post_delete.connect(forget_public_pages, sender=Page, dispatch_uid="courses.forget_on_delete")
