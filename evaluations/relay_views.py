"""Messages relayed between alumni by email, without either address showing until the recipient replies."""

from __future__ import annotations

from django.http import HttpResponse

from .alumni_views import alumni_only


@alumni_only
def message_send(request, user_id: int):
    return HttpResponse("todo")


@alumni_only
def message_list(request):
    return HttpResponse("todo")


@alumni_only
def message_reply(request, pk: int):
    return HttpResponse("todo")


@alumni_only
def message_block(request, pk: int):
    return HttpResponse("todo")


@alumni_only
def unblock(request, pk: int):
    return HttpResponse("todo")
