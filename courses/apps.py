from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses")

    def ready(self) -> None:
        from allauth.mfa.models import Authenticator
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group, Permission
        from django.db.models.signals import m2m_changed, post_delete, post_save
        from wagtail.models import Page
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from . import access
        from .models import Organisation
        from .page_cache import forget_public_pages
        from .receivers import on_organisation_changed, on_page_published, on_pages_changed

        page_published.connect(on_page_published, dispatch_uid="courses.on_page_published")
        # Any change to what is published may show on other pages (menus, listings): a new cache generation.
        page_published.connect(forget_public_pages, dispatch_uid="courses.forget_on_publish")
        page_unpublished.connect(forget_public_pages, dispatch_uid="courses.forget_on_unpublish")
        post_page_move.connect(forget_public_pages, dispatch_uid="courses.forget_on_move")
        # Deleting a page of any type deletes its Page row too (multi-table inheritance): one receiver suffices.
        post_delete.connect(forget_public_pages, sender=Page, dispatch_uid="courses.forget_on_delete")

        # Signed-in pages kept in the fragment cache (courses.fragment_cache) show titles and organisations.
        for signal, name in ((page_published, "publish"), (page_unpublished, "unpublish"), (post_page_move, "move")):
            signal.connect(on_pages_changed, dispatch_uid=f"courses.fragments_on_{name}")
        post_delete.connect(on_pages_changed, sender=Page, dispatch_uid="courses.fragments_on_delete")
        for name, signal in (("save", post_save), ("delete", post_delete)):
            signal.connect(on_organisation_changed, sender=Organisation, dispatch_uid=f"courses.organisation_{name}")

        # Who may do what (courses.access): each person's cached groups, permissions and authenticators.
        User = get_user_model()
        for receiver, through in (
            (access.on_user_groups_changed, User.groups.through),
            (access.on_user_permissions_changed, User.user_permissions.through),
            (access.on_group_permissions_changed, Group.permissions.through),
        ):
            m2m_changed.connect(receiver, sender=through, dispatch_uid=f"courses.{receiver.__name__}")
        post_save.connect(access.on_user_saved, sender=User, dispatch_uid="courses.access_user_saved")
        post_delete.connect(access.on_permission_deleted, sender=Permission, dispatch_uid="courses.access_permission")
        for name, signal in (("save", post_save), ("delete", post_delete)):
            signal.connect(access.on_group_changed, sender=Group, dispatch_uid=f"courses.access_group_{name}")
            signal.connect(access.on_authenticator_changed, sender=Authenticator,
                           dispatch_uid=f"courses.access_authenticator_{name}")  # fmt: skip
