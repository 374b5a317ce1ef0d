"""What a signed-in person may do, read once per change instead of on every request.

Every signed-in page asks for the person's groups (the menu, the role checks), their permissions (`perms` in
templates, `has_perm`) and, for staff, whether they use two-factor authentication: four queries before the page
itself. They are kept together in the shared cache under the generations of the topics "access" (any group's
permissions) and ("access", user id) (the person's groups, permissions and authenticators); the receivers in
courses/apps.py touch them on every change, so a role taken away is gone on the next request. The user row itself
(active, staff, superuser) is read on every request by Django, never from here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache

from .fragment_cache import generations, touch

ACCESS_SECONDS = 600


@dataclass(frozen=True)
class Access:
    groups: frozenset[str]
    permissions: frozenset[str]
    mfa: bool


def _read(user) -> Access:
    from allauth.mfa.models import Authenticator

    permissions = ModelBackend().get_all_permissions(user)
    return Access(
        groups=frozenset(user.groups.values_list("name", flat=True)),
        permissions=frozenset(permissions),
        mfa=Authenticator.objects.filter(user_id=user.pk).exists(),
    )


def access_of(user) -> Access:
    """The person's groups, permissions and two-factor status (kept on the user object for the request)."""
    if not getattr(user, "is_authenticated", False):
        return Access(frozenset(), frozenset(), False)
    if not hasattr(user, "_attache_access"):
        try:
            key = "access:{}:{}:{}".format(user.pk, *generations(["access", ("access", user.pk)]))
            found = cache.get(key)
        except Exception:  # the cache is down: ask the database
            key, found = None, None
        if found is None:
            found = _read(user)
            if key:
                try:
                    cache.set(key, found, ACCESS_SECONDS)
                except Exception:
                    pass
        user._attache_access = found
    return user._attache_access


class CachedPermissionsBackend(ModelBackend):
    """Django's ModelBackend, its permissions read through `access_of` (inactive users still have none)."""

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            user_obj._perm_cache = set(access_of(user_obj).permissions)
        return user_obj._perm_cache


# --- Receivers (connected in courses/apps.py) ---


def on_user_groups_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if action.startswith("post_"):
        _touch_people(instance, reverse, pk_set)


def _touch_people(instance, reverse: bool, pk_set) -> None:
    if not reverse:
        touch(("access", instance.pk))
    elif pk_set:  # group.user_set.add(...): the people are in pk_set
        touch(*[("access", pk) for pk in pk_set])
    else:  # group.user_set.clear(): anyone may have been in it
        touch("access")


def on_group_permissions_changed(sender, action, **kwargs) -> None:
    if action.startswith("post_"):
        touch("access")


def on_user_permissions_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if action.startswith("post_"):
        _touch_people(instance, reverse, pk_set)


def on_group_changed(sender, **kwargs) -> None:
    touch("access")  # renamed or deleted: its members' group names change


def on_authenticator_changed(sender, instance, **kwargs) -> None:
    touch(("access", instance.user_id))


def on_user_saved(sender, instance, update_fields=None, **kwargs) -> None:
    # A superuser has every permission: is_superuser (or is_active) changed on the row must reach the cache.
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    touch(("access", instance.pk))


def on_permission_deleted(sender, **kwargs) -> None:
    touch("access")
