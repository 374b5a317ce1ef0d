"""Nominations: the organisers' links for focal points, and the focal point's own page (the link is the key)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courses.responses import keep_private

from . import selection_selectors, services
from .models import Call, Nomination, NominationLink
from .nomination_forms import NominationForm, NominationLinkForm
from .organiser_views import organiser_required
from .tokens import InvalidToken


def _language() -> str:
    return (get_language() or "en")[:2]


# --- Organisers ---


@organiser_required
def nomination_links(request, pk: int):
    """A call's nomination links: who nominates, how many so far, and the form to give a focal point their link."""
    call = get_object_or_404(Call.objects.select_related("cohort__session"), pk=pk)
    form = NominationLinkForm(request.POST or None, initial={"language": _language()})
    try:
        services.check_nominations_open(call)
    except services.NominationError as error:
        closed = str(error)
    else:
        closed = ""
    if request.method == "POST" and form.is_valid():
        try:
            link = services.create_nomination_link(call=call, **form.cleaned_data, by=request.user)
        except services.NominationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The nomination link is on its way to %(email)s.")
                             % {"email": link.focal_point_email})  # fmt: skip
            return redirect("participants:nomination_links", pk=call.pk)
    context = {"call": call, "cohort": call.cohort, "session": call.cohort.session.localized, "form": form,
               "links": list(selection_selectors.list_nomination_links(call=call)), "closed": closed}  # fmt: skip
    return keep_private(render(request, "participants/nominations/links.html", context))


@organiser_required
@require_POST
def nomination_link_resend(request, pk: int):
    link = get_object_or_404(NominationLink, pk=pk)
    try:
        services.resend_nomination_link(link=link, by=request.user)
    except services.NominationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The nomination link is on its way to %(email)s again.")
                         % {"email": link.focal_point_email})  # fmt: skip
    return redirect("participants:nomination_links", pk=link.call_id)


@organiser_required
def nomination_link_withdraw(request, pk: int):
    """Withdrawing a link is asked first: its focal point can no longer open it."""
    link = get_object_or_404(NominationLink.objects.select_related("call__cohort__session"), pk=pk)
    if request.method == "POST" and "confirmed" in request.POST:
        try:
            services.withdraw_nomination_link(link=link, by=request.user)
        except services.NominationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The nomination link of %(organisation)s is withdrawn.")
                             % {"organisation": link.organisation_name})  # fmt: skip
        return redirect("participants:nomination_links", pk=link.call_id)
    context = {"link": link, "call": link.call, "cohort": link.call.cohort,
               "session": link.call.cohort.session.localized}  # fmt: skip
    return keep_private(render(request, "participants/nominations/link_withdraw.html", context))


# --- The focal point ---


def _link_or_page(request, token: str):
    """The link a token names, or the page that says why it cannot be used (never a server error)."""
    try:
        link = services.get_nomination_link(token=token)
    except InvalidToken:
        page = render(request, "participants/nominations/link_closed.html", {"invalid": True}, status=404)
        return None, keep_private(page)
    try:
        services.check_link_usable(link)
    except services.NominationError as error:
        page = render(request, "participants/nominations/link_closed.html", {"message": str(error)}, status=410)
        return None, keep_private(page)
    return link, None


def nominate(request, token: str):
    """The focal point's page: the call, its deadline, their own nominations and their state, and the form to
    nominate someone while seats remain. No sign-in: the link is the key."""
    link, page = _link_or_page(request, token)
    if page is not None:
        return page
    call = link.call
    nominations = selection_selectors.list_link_nominations(link=link)
    seats = link.max_nominees - sum(1 for nomination in nominations if nomination.withdrawn_at is None)
    try:
        services.check_nominations_open(call)
    except services.NominationError as error:
        closed = str(error)
    else:
        closed = ""
    form = None
    if not closed and seats > 0:
        form = NominationForm(request.POST or None, initial={"language": _language()})
        if request.method == "POST" and form.is_valid():
            try:
                nomination = services.nominate(link=link, **form.cleaned_data)
            except services.NominationError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("%(name)s is nominated: we emailed them to ask them to apply.")
                                 % {"name": nomination.full_name})  # fmt: skip
                return redirect("participants:nominate", token=token)
    context = {"link": link, "call": call, "session": call.cohort.session.localized, "token": token,
               "time_zone": call.cohort.session.time_zone, "nominations": nominations, "seats": max(seats, 0),
               "closed": closed, "form": form}  # fmt: skip
    return keep_private(render(request, "participants/nominations/nominate.html", context))


def nomination_withdraw(request, token: str, pk: int):
    """The focal point takes back one of their own nominations, after a confirmation."""
    link, page = _link_or_page(request, token)
    if page is not None:
        return page
    nomination = Nomination.objects.filter(pk=pk, link=link).select_related("application").first()
    if nomination is None:  # another link's nomination: nobody learns that it exists
        raise Http404
    error = ""
    if request.method == "POST" and "confirmed" in request.POST:
        try:
            services.withdraw_nomination(link=link, nomination=nomination)
        except services.NominationError as refused:
            error = str(refused)
        else:
            messages.success(request, _("The nomination of %(name)s is withdrawn.") % {"name": nomination.full_name})
            return redirect("participants:nominate", token=token)
    context = {"link": link, "call": link.call, "session": link.call.cohort.session.localized, "token": token,
               "nomination": nomination, "state": selection_selectors.nomination_state(nomination),
               "error": error}  # fmt: skip
    return keep_private(render(request, "participants/nominations/nomination_withdraw.html", context))
