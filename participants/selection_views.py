"""The shortlist assistant's pages: a call's proposal, ticked by hand with the balance recounted, the organisers'
keep-in/leave-out, the confirmation before deciding, and the outcome once decided."""

from __future__ import annotations

import math
import re
from collections import Counter
from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django_countries import countries as country_names

from courses.models import Sector
from courses.responses import keep_private

from . import audit_details, services
from .models import Application, ApplicationStatus, Call, Gender
from .organiser_views import organiser_required
from .people import person_of
from .services.shortlist import sector_floor


def _call(pk: int) -> Call:
    return get_object_or_404(Call.objects.select_related("cohort__session", "decided_by__profile"), pk=pk)


def _ticked(request, page) -> set[int]:
    """The candidates ticked in the form; on a plain visit, the proposal."""
    if request.method == "POST":
        return {int(value) for value in request.POST.getlist("select") if value.isdigit()} & set(page.candidates)
    return set(page.shortlist.selected)


def _balance(page, ticked: set[int]) -> dict:
    """The cohort's balance with the seats already taken and those ticked: each count against its limits, and
    whether a limit is broken (`over`) or a goal missed (`under`)."""
    cohort, candidates = page.call.cohort, page.candidates
    sectors = Counter(candidates[pk].sector for pk in ticked)
    countries = Counter(candidates[pk].country for pk in ticked if candidates[pk].country)
    total = page.seated_total + len(ticked)
    rows = {
        "seats": {
            "base": page.seated_total,
            "count": total,
            "max": cohort.capacity,
            "over": total > cohort.capacity,
            "under": total < cohort.capacity,
        },  # fmt: skip
        "sectors": [],
        "countries": [],
    }
    labels = dict(Sector.choices)
    for sector in Sector.values:
        count = page.seated[sector] + sectors[sector]
        floor, ceiling = sector_floor(cohort, sector), cohort.ceiling(sector)
        rows["sectors"].append({
            "key": sector, "label": labels[sector], "base": page.seated[sector], "count": count, "min": floor,
            "max": ceiling, "over": count > ceiling, "under": count < floor,
        })  # fmt: skip
    seen = sorted(set(page.seated_countries) | {c.country for c in candidates.values() if c.country},
                  key=lambda code: str(country_names.name(code)))  # fmt: skip
    cap = cohort.max_per_country
    for code in seen:
        count = page.seated_countries[code] + countries[code]
        rows["countries"].append({"key": code, "label": country_names.name(code) or code,
                                  "base": page.seated_countries[code], "count": count,
                                  "over": cap is not None and count > cap})  # fmt: skip
    rows["cap"] = cap
    women = sum(candidates[pk].gender == Gender.WOMAN for pk in ticked)
    percent = page.call.min_women_percent
    needed = math.ceil((percent or 0) * len(ticked) / 100)
    rows["women"] = {"count": women, "selected": len(ticked), "percent": percent, "needed": needed,
                     "under": percent is not None and women < needed}  # fmt: skip
    rows["broken"] = rows["seats"]["over"] or any(r["over"] for r in rows["sectors"] + rows["countries"])
    return rows


SHOWN = 15  # per reserve list and per group of the others, best first, unless the organiser asks for them all
OTHER_GROUPS = ("not_reviewed", "forced_out", "below_min_score")


def _row(page, pk: int, ticked: set[int], section: str, reserve=None) -> dict:
    application, candidate, labels = page.applications[pk], page.candidates[pk], dict(Sector.choices)
    return {
        "pk": pk, "application": application, "person": person_of(application.user, native_name=True),
        "candidate": candidate, "sector": labels.get(candidate.sector, candidate.sector),
        "country": country_names.name(candidate.country) if candidate.country else "",
        "woman": candidate.gender == Gender.WOMAN, "score": candidate.score, "scores": page.scores.get(pk),
        "reason": page.reason(pk), "ticked": pk in ticked, "section": section, "reserve": reserve,
        "reserve_label": labels.get(reserve[0], "") if reserve else "",
    }  # fmt: skip


def _visible(request) -> tuple[bool, set[str]]:
    """What the organiser asked to see in full: everyone (`?all=1`), or some lists (`?show=reserve-government`)."""
    opened = {key for key in request.GET.getlist("show")[:10] if re.fullmatch(r"[a-z_-]{1,40}", key)}
    return request.GET.get("all") == "1", opened


def _query(everyone: bool, opened: set[str], extra: str = "") -> str:
    if everyone:
        return "all=1"
    return urlencode([("show", key) for key in sorted(opened | ({extra} if extra else set()))])


def _sections(page, ticked: set[int], *, everyone: bool, opened: set[str]) -> list[dict]:
    """The proposed in full; each sector's reserve and each group of the others (not reviewed, left out, below the
    minimum) by its first SHOWN, with whoever is ticked or kept in, and how many more there are. A candidate not
    shown is never ticked: the balance, counted from the ticked boxes, stays true."""
    labels, proposed = dict(Sector.choices), set(page.shortlist.selected)
    reserved = {pk for ids in page.shortlist.reserve.values() for pk in ids}
    order = page.order()
    lists = [("proposed", _("Proposed"), [("proposed", "", [pk for pk in order if pk in proposed])])]
    lists.append(("reserve", _("Reserve, by sector"), [
        (f"reserve-{sector}", labels.get(sector, sector), list(page.shortlist.reserve.get(sector, ())))
        for sector in [*Sector.values, *sorted(set(page.shortlist.reserve) - set(Sector.values))]
    ]))  # fmt: skip
    rest = [pk for pk in order if pk not in proposed and pk not in reserved]
    code = {pk: getattr(page.shortlist.reasons.get(pk), "code", "") for pk in rest}
    titles = {"not_reviewed": _("Not reviewed yet"), "forced_out": _("Left out by the organisers"),
              "below_min_score": _("Below the minimum score"), "other": _("Others")}  # fmt: skip
    lists.append(("other", _("Not proposed"), [
        (key, titles[key], [pk for pk in rest if (code[pk] if code[pk] in OTHER_GROUPS else "other") == key])
        for key in (*OTHER_GROUPS, "other")
    ]))  # fmt: skip
    sections = []
    for section, title, groups in lists:
        shown_groups = []
        for key, group_title, ids in groups:
            if not ids:
                continue
            full = section == "proposed" or everyone or key in opened
            rows = [
                _row(page, pk, ticked, section, (key.removeprefix("reserve-"), rank) if section == "reserve" else None)
                for rank, pk in enumerate(ids, start=1)
                if full or rank <= SHOWN or pk in ticked or page.applications[pk].pin == "in"
            ]  # fmt: skip
            shown_groups.append({"key": key, "title": group_title, "rows": rows, "total": len(ids),
                                 "hidden": len(ids) - len(rows), "show": _query(everyone, opened, key)})  # fmt: skip
        if shown_groups:
            sections.append({"key": section, "title": title, "groups": shown_groups})
    return sections


def _outcome(request, call: Call):
    applications = list(
        Application.objects.filter(call=call, decided_at__isnull=False)
        .select_related("user__profile__organisation", "invitation")
        .order_by("status", "reserve_rank", "pk")
    )
    groups = {status: [] for status in (ApplicationStatus.SELECTED, ApplicationStatus.RESERVE,
                                        ApplicationStatus.NOT_SELECTED)}  # fmt: skip
    labels = dict(Sector.choices)
    for application in applications:
        application.person = person_of(application.user, native_name=True)
        profile = getattr(application.user, "profile", None)
        application.sector_label = labels.get(profile.sector if profile else Sector.OTHER, "")
        groups.setdefault(application.status, []).append(application)
    groups[ApplicationStatus.RESERVE].sort(key=lambda a: (a.sector_label, a.reserve_rank or 0))
    context = {"call": call, "cohort": call.cohort, "session": call.cohort.session.localized,
               "selected": groups[ApplicationStatus.SELECTED], "reserve": groups[ApplicationStatus.RESERVE],
               "not_selected": groups[ApplicationStatus.NOT_SELECTED],
               "decided_by": person_of(call.decided_by) if call.decided_by else None}  # fmt: skip
    return keep_private(render(request, "participants/calls/shortlist_outcome.html", context))


@organiser_required
def call_shortlist(request, pk: int):
    """The assistant's proposal for a call, to tick by hand; keep-in/leave-out saved; the outcome once decided."""
    call = _call(pk)
    services.record_view(actor=request.user, details=audit_details.viewed("call_applications"),
                         key=f"call-shortlist:{pk}", cohort_id=call.cohort_id)  # fmt: skip
    if call.decided_at is not None:
        return _outcome(request, call)
    everyone, opened = _visible(request)
    if request.method == "POST" and request.POST.get("pin"):
        application_id, _sep, pin = request.POST["pin"].partition(":")
        application = get_object_or_404(Application, pk=application_id if application_id.isdigit() else 0, call=call)
        try:
            services.set_pin(application=application, pin=pin if pin in ("in", "out") else "", by=request.user)
        except services.SelectionError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Saved. The proposal is worked out again with your choice."))
        query = _query(everyone, opened)
        return redirect(reverse("participants:call_shortlist", args=[call.pk]) + (f"?{query}" if query else ""))
    page = services.shortlist_for_call(call=call)
    ticked = _ticked(request, page)
    sections = _sections(page, ticked, everyone=everyone, opened=opened)
    shown = sum(len(group["rows"]) for section in sections for group in section["groups"])
    context = {
        "call": call, "cohort": call.cohort, "session": call.cohort.session.localized, "page": page,
        "balance": _balance(page, ticked), "unmet": page.unmet(), "ticked_count": len(ticked),
        "sections": sections, "candidates_count": len(page.candidates), "hidden_count": len(page.candidates) - shown,
        "everyone": everyone, "query": _query(everyone, opened), "shown_limit": SHOWN,
        "recounted": request.method == "POST",
    }  # fmt: skip
    return keep_private(render(request, "participants/calls/shortlist.html", context))


@organiser_required
def call_decide(request, pk: int):
    """Ask first: how many are invited, on each reserve list, told they were not selected. Only a confirmed POST
    decides; a visit goes back to the shortlist."""
    call = _call(pk)
    if request.method != "POST" or call.decided_at is not None:
        return redirect("participants:call_shortlist", pk=call.pk)
    page = services.shortlist_for_call(call=call)
    ticked = _ticked(request, page)
    if "confirmed" in request.POST:
        try:
            plan = services.decide_selection(call=call, selected_ids=ticked, by=request.user)
        except services.SelectionError as error:
            messages.error(request, str(error))
            return redirect("participants:call_shortlist", pk=call.pk)
        messages.success(
            request,
            _("The selection is decided: %(selected)s invited, %(reserve)s on the reserve lists, %(others)s told "
              "they were not selected.")
            % {"selected": len(plan.selected), "reserve": plan.reserve_count, "others": len(plan.not_selected)},
        )  # fmt: skip
        return redirect("participants:call_shortlist", pk=call.pk)
    plan = services.plan_selection(page=page, selected_ids=ticked)
    labels = dict(Sector.choices)
    languages = Counter(page.applications[pk].get_language_display() for pk in plan.not_selected)
    context = {
        "call": call, "cohort": call.cohort, "session": call.cohort.session.localized, "plan": plan,
        "ticked": sorted(ticked), "reserve": [(labels.get(sector, sector), len(ids)) for sector, ids in
                                              sorted(plan.reserve.items())],
        "languages": sorted(languages.items()),
    }  # fmt: skip
    return keep_private(render(request, "participants/calls/shortlist_decide.html", context))
