from django.core.paginator import Paginator
from django.shortcuts import render
from wagtail.models import Locale

from . import selectors

RESULTS_PER_PAGE = 10


def search(request):
    """Search programmes and curriculum modules in the active language."""
    query = request.GET.get("q", "").strip()[:200]
    results = selectors.search_pages(query=query, locale=Locale.get_active())
    page = Paginator(results, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "courses/search.html", {"query": query, "results": page, "total": len(results)})
