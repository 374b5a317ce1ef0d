"""The alumni network in figures: ties, density, ties across sectors, bridges, over time; a map and a table."""

from __future__ import annotations

from django.http import HttpResponse

from .alumni_views import alumni_only


@alumni_only
def my_network(request):
    return HttpResponse("todo")


def network_index(request):
    return HttpResponse("todo")


def cohort_network(request, pk: int):
    return HttpResponse("todo")


def cohort_network_export(request, pk: int):
    return HttpResponse("todo")


def programme_network(request, pk: int):
    return HttpResponse("todo")


def programme_network_export(request, pk: int):
    return HttpResponse("todo")


def country_network(request, country: str):
    return HttpResponse("todo")


def country_network_export(request, country: str):
    return HttpResponse("todo")
