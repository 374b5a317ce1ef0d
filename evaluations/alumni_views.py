"""The alumni's own pages: the directory, what each shares in it, and the collaborations they record."""

from __future__ import annotations

import re
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from courses import fragment_cache
from courses.permissions import is_alumnus
from courses.responses import keep_private

from . import selectors, services
from .forms import AlumnusProfileForm, CollaborationForm, DirectoryFilterForm, ListingForm
from .models import COLLABORATION_KINDS, TieKind
from .permissions import can_use_alumni_network

ID = re.compile(r"[0-9]{1,9}")
FILTER_NAMES = ("q", "country", "sector", "organisation", "cohort", "language", "expertise")


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


def _filters(form: DirectoryFilterForm) -> selectors.DirectoryFilters:
    """The valid filters of the form; one that is not (an old link, a hand-made URL) is dropped alone."""
    if not form.is_bound:
        return selectors.DirectoryFilters()
    form.is_valid()
    data = form.cleaned_data
    return selectors.DirectoryFilters(
        **{name: data[name] for name in ("q", "country", "sector", "organisation", "cohort", "language",
                                        "expertise") if data.get(name) not in (None, "")}
    )  # fmt: skip


def _options(form: DirectoryFilterForm) -> dict[str, str]:
    """Each filter's <option>s, written here: hundreds of sessions and organisations through the template
    language cost most of the page's time at scale."""
    options = {}
    for field in form:
        if field.name == "q":
            continue
        chosen = str(field.value() or "")
        options[field.name] = mark_safe("".join(
            f'<option value="{escape(value)}"{" selected" if str(value) == chosen else ""}>{escape(label)}</option>'
            for value, label in field.field.choices
        ))  # fmt: skip
    return options


@alumni_only
def directory(request):
    # Only the filters and the page number count (and the key they make is bounded): other parameters, or longer
    # values, could otherwise fill the cache with copies of the same page.
    asked = QueryDict(mutable=True)
    for name in FILTER_NAMES:
        if request.GET.get(name):
            asked[name] = request.GET[name].replace("\x00", "")[:100]
    page = request.GET.get("page", "1")
    page = page if page.isdigit() and len(page) < 6 else "1"

    def context() -> dict:
        form = DirectoryFilterForm(asked or None, choices=selectors.list_directory_choices())
        filters = _filters(form)
        return {
            "form": form,
            "options": _options(form),
            "page": selectors.search_directory(filters=filters, page=page),
            "filtered": filters.any(),
            "query": asked.urlencode(),
        }

    # The same search gives every alumnus the same page: what each listed person shares, nothing about the viewer.
    results = fragment_cache.render(
        request, "evaluations/alumni/directory_results.html", context,
        topics=["directory", "organisations", "pages"], vary=[asked.urlencode(), page],
    )  # fmt: skip
    context = {
        "results": results,
        "listed": getattr(getattr(request.user, "profile", None), "listed_in_directory", False),
        "alumnus": is_alumnus(request.user),
    }
    return render(request, "evaluations/alumni/directory.html", context)


@alumni_only
def directory_json(request):
    """Names for the collaboration form's search: what the directory shows, nothing more."""
    query = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    if len(query) < 2:
        return JsonResponse({"results": []})
    page = selectors.search_directory(filters=selectors.DirectoryFilters(q=query))
    results = [card.as_json() for card in page.object_list if card.user_id != request.user.pk][:10]
    return JsonResponse({"results": results})


@alumni_only
def alumnus(request, user_id: int):
    card = selectors.get_card(user_id=user_id)
    if card is None:
        raise Http404
    # A blocked viewer sees what anyone sees of a person who takes no messages: never that they were blocked.
    takes_messages = card.accepts_messages and not selectors.is_blocking(
        blocker_id=card.user_id, blocked_id=request.user.pk
    )
    context = {"card": card, "is_me": card.user_id == request.user.pk, "alumnus": is_alumnus(request.user),
               "takes_messages": takes_messages}  # fmt: skip
    return render(request, "evaluations/alumni/alumnus.html", context)


@alumni_only
def listing(request):
    if not is_alumnus(request.user):
        return render(request, "evaluations/alumni/not_alumnus.html", status=403)
    current = selectors.get_listing(user=request.user)
    listed = request.user.profile.listed_in_directory
    if request.method == "POST" and "leave" in request.POST:
        services.leave_directory(user=request.user)
        messages.success(
            request, _("You have left the directory. Nobody can find you or send you messages, replies included.")
        )
        return redirect("evaluations:listing")
    form = ListingForm(request.POST or None, instance=current, initial={"listed": listed})
    profile_form = AlumnusProfileForm(request.POST or None, instance=request.user.profile, prefix="profile")
    if request.method == "POST" and form.is_valid() and profile_form.is_valid():
        data = form.cleaned_data
        services.save_listing(user=request.user, listed=data["listed"], shared=form.shared(),
                              expertise=data["expertise"], about=data["about"],
                              accepts_messages=data["accepts_messages"],
                              profile_fields=profile_form.cleaned_data)  # fmt: skip
        if data["listed"]:
            messages.success(request, _("Saved. Other alumni now see what you chose to share, and nothing else."))
        else:
            messages.success(request, _("Saved. You are not listed in the directory."))
        return redirect("evaluations:listing")
    preview = selectors.get_card(user_id=request.user.pk)
    context = {"form": form, "profile_form": profile_form, "listed": listed, "profile": request.user.profile,
               "preview": preview}  # fmt: skip
    return render(request, "evaluations/alumni/listing.html", context)


@alumni_only
def collaborations(request):
    if not is_alumnus(request.user):
        return render(request, "evaluations/alumni/not_alumnus.html", status=403)
    mates = selectors.list_cohort_mates(user=request.user)
    # People picked in the directory come as ?with=<id> (or a posted id); they join the choices if allowed.
    extra = request.POST.getlist("people") if request.method == "POST" else request.GET.getlist("with")
    extra = [int(pk) for pk in extra if ID.fullmatch(str(pk))]
    allowed = selectors.list_allowed_collaborators(user=request.user, chosen=extra)
    others = selectors.list_people(user_ids=allowed - {person.pk for person in mates}, viewer=request.user)
    people = [(person.pk, person) for person in [*mates, *sorted(others.values(), key=lambda p: p.sort_key)]]
    initial = {"people": [pk for pk in extra if pk in allowed]}
    if request.GET.get("kind") in dict(COLLABORATION_KINDS):
        initial["kind"] = request.GET["kind"]
    if request.GET.get("date"):
        initial["happened_on"] = request.GET["date"]
    form = CollaborationForm(request.POST or None, people=people, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_collaboration(
                reporter=request.user,
                kind=data["kind"],
                happened_on=data["happened_on"],
                people=data["people"],
                allowed=selectors.list_allowed_collaborators(user=request.user, chosen=data["people"]),
                note=data["note"],
            )
        except services.CollaborationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Collaboration recorded. Thank you: this is what the network is for."))
            return redirect("evaluations:collaborations")
    unconfirmed = selectors.list_unconfirmed_ties(user=request.user)
    for row in unconfirmed:
        row["kind_label"] = TieKind(row["kind"]).label if row["kind"] in TieKind.values else row["kind"]
    context = {
        "form": form,
        "has_people": bool(people),
        "collaborations": selectors.list_collaborations(user=request.user),
        "unconfirmed": unconfirmed,
    }
    return render(request, "evaluations/alumni/collaborations.html", context)


@alumni_only
def collaboration_delete(request, pk: int):
    """A page that says what removing one's own record does, then the removal (its ties go with it)."""
    collaboration = next((c for c in selectors.list_collaborations(user=request.user) if c.pk == pk), None)
    if collaboration is None:
        raise Http404
    if request.method == "POST" and "confirmed" in request.POST:
        if services.delete_collaboration(reporter=request.user, pk=pk):
            messages.success(request, _("The collaboration was removed."))
        return redirect("evaluations:collaborations")
    return render(request, "evaluations/alumni/collaboration_delete.html", {"collaboration": collaboration})
