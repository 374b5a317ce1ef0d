"""The alumni's own pages: the directory, what each shares in it, and the collaborations they record."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render

from courses.responses import keep_private

from .permissions import can_use_alumni_network


def alumni_only(view):
    """Alumni and organisers; anyone else signed in is told what the network is and how to join it."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_use_alumni_network(request.user):
            return keep_private(render(request, "evaluations/alumni/not_alumnus.html", status=403))
        return keep_private(view(request, *args, **kwargs))

    return wrapper


@alumni_only
def directory(request):
    raise NotImplementedError


@alumni_only
def directory_json(request):
    raise NotImplementedError


@alumni_only
def alumnus(request, user_id: int):
    raise NotImplementedError


@alumni_only
def listing(request):
    raise NotImplementedError


@alumni_only
def collaborations(request):
    raise NotImplementedError


@alumni_only
def collaboration_delete(request, pk: int):
    raise NotImplementedError
