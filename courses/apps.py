from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses")

    def ready(self) -> None:
        from wagtail.signals import page_published

        from .receivers import on_page_published

        page_published.connect(on_page_published, dispatch_uid="courses.on_page_published")
