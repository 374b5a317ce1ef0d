"""Deciding a call's selection: the shortlist assistant's proposal for a call, the organisers' pins, and the decision
that invites the selected, puts the reserve on the waitlist in score order and tells everyone else.

The assistant (services/shortlist.py) proposes within the cohort's rules less what is already taken: people
confirmed before the call (invited directly, say) count against the capacity, each sector's ceiling and floor, and
the country cap. The gender target and the lowest score are the call's, and count those selected only.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import Sector
from courses.outbox import owe_email

from .. import audit_details
from ..models import (
    SEATED,
    Application,
    ApplicationStatus,
    AuditEntry,
    Call,
    Invitation,
    Registration,
    RegistrationEvent,
    RegistrationStatus,
)
from ..selection_selectors import ApplicationScore, application_scores
from .audit import record_audit
from .invitations import InvitationError, invite_person, resend_invitation
from .registrations import _lock, _log
from .shortlist import Candidate, Shortlist, ShortlistRules, describe_reason, propose_shortlist, sector_floor

__all__ = [
    "CANDIDATE_STATUSES",
    "SelectionError",
    "SelectionPlan",
    "ShortlistPage",
    "decide_selection",
    "plan_selection",
    "set_pin",
    "shortlist_for_call",
]

# The applications the assistant weighs: sent and not withdrawn, not decided yet.
CANDIDATE_STATUSES = (ApplicationStatus.SUBMITTED, ApplicationStatus.SHORTLISTED)
DECIDED_STATUSES = (ApplicationStatus.SELECTED, ApplicationStatus.RESERVE, ApplicationStatus.NOT_SELECTED)
PINS = ("in", "out", "")


class SelectionError(Exception):
    """A user-facing reason the selection cannot be changed or decided as asked."""


@dataclass
class ShortlistPage:
    """A call's proposal and what its page shows: the candidates (applications by id with their scores), the seats
    already taken in the cohort, the rules the proposal keeps, and the proposal itself."""

    call: Call
    applications: dict[int, Application]
    candidates: dict[int, Candidate]
    scores: dict[int, ApplicationScore]
    seated: Counter  # by sector: confirmed (or attended) before the selection
    seated_countries: Counter
    rules: ShortlistRules
    shortlist: Shortlist
    already_seated: list[Application] = field(default_factory=list)  # applicants who already hold a seat

    @property
    def seated_total(self) -> int:
        return sum(self.seated.values())

    def reason(self, application_id: int) -> str:
        reason = self.shortlist.reasons.get(application_id)
        return describe_reason(_in_cohort_terms(reason.as_dict(), self)) if reason else ""

    def unmet(self) -> list[str]:
        return [describe_reason(_in_cohort_terms(reason.as_dict(), self)) for reason in self.shortlist.unmet]

    def order(self) -> list[int]:
        """The proposed first (best score first), then each sector's reserve in its order, then the others."""
        proposed = sorted(self.shortlist.selected, key=lambda pk: _rank_key(self.candidates[pk]))
        reserve = [pk for sector in Sector.values for pk in self.shortlist.reserve.get(sector, ())]
        rest = sorted(
            set(self.candidates) - set(proposed) - set(reserve), key=lambda pk: _rank_key(self.candidates[pk])
        )
        return proposed + reserve + rest


def _rank_key(candidate: Candidate) -> tuple:
    return (candidate.score is None, -(candidate.score or 0), candidate.id)


def _in_cohort_terms(details: dict, page: ShortlistPage) -> dict:
    """A reason's counts as the cohort counts them: the seats already taken added to what the proposal holds
    (the assistant itself only sees the seats left)."""
    details = dict(details)
    seated, countries, cohort = page.seated, page.seated_countries, page.call.cohort
    limits = []
    for limit in details.get("limits", []):
        limit, kind = dict(limit), limit.get("limit")
        if kind == "sector":
            extra, limit["max"] = seated[limit.get("sector", "")], cohort.ceiling(limit.get("sector", ""))
        elif kind == "country":
            extra, limit["max"] = countries[limit.get("country", "")], cohort.max_per_country
        else:
            extra, limit["max"] = sum(seated.values()), cohort.capacity
        limit["taken"] = limit.get("taken", 0) + extra
        limits.append(limit)
    if "limits" in details:
        details["limits"] = limits
    code = details.get("code")
    if code == "selected_for_floor":
        extra = seated[details["sector"]]
        details["taken"], details["floor"] = details["taken"] + extra, details["floor"] + extra
    elif code == "floor_not_met":
        extra = seated[details["sector"]]
        details["selected"], details["floor"] = details["selected"] + extra, details["floor"] + extra
    return details


def _country(application: Application) -> str:
    profile = getattr(application.user, "profile", None)
    return str(profile.nationality) if profile is not None and profile.nationality else ""


def _sector(application: Application) -> str:
    profile = getattr(application.user, "profile", None)
    return profile.sector if profile is not None else Sector.OTHER


def _gender(application: Application) -> str:
    profile = getattr(application.user, "profile", None)
    return profile.gender if profile is not None else ""


def _rules(call: Call, seated: Counter, seated_countries: Counter) -> ShortlistRules:
    """The cohort's rules less the seats already taken; the call's gender target and lowest score."""
    cohort = call.cohort
    return ShortlistRules(
        capacity=max(0, cohort.capacity - sum(seated.values())),
        ceilings={sector: max(0, cohort.ceiling(sector) - seated[sector]) for sector in Sector.values},
        floors={sector: max(0, sector_floor(cohort, sector) - seated[sector]) for sector in Sector.values},
        max_per_country=cohort.max_per_country,
        country_taken=dict(seated_countries),
        min_women_percent=call.min_women_percent,
        min_score=float(call.min_score) if call.min_score is not None else None,
    )


def _seated(call: Call) -> tuple[Counter, Counter, set[int]]:
    rows = Registration.objects.filter(cohort_id=call.cohort_id, status__in=SEATED).values_list(
        "sector", "country", "user_id"
    )
    sectors, countries, users = Counter(), Counter(), set()
    for sector, country, user_id in rows:
        sectors[sector] += 1
        if country:
            countries[country] += 1
        users.add(user_id)
    return sectors, countries, users


def shortlist_for_call(*, call: Call, statuses=CANDIDATE_STATUSES) -> ShortlistPage:
    """The assistant's proposal for a call's applications not yet decided (a few queries and the solver)."""
    seated, seated_countries, seated_users = _seated(call)
    applications = {
        application.pk: application
        for application in Application.objects.filter(call=call, status__in=statuses)
        .select_related("user__profile__organisation")
        .order_by("submitted_at", "pk")
    }
    already = [a for a in applications.values() if a.user_id in seated_users]
    for application in already:
        del applications[application.pk]
    scores = application_scores(call=call)
    candidates = {}
    for pk, application in applications.items():
        score = scores.get(pk)
        candidates[pk] = Candidate(
            id=pk, score=score.score if score is not None else None, sector=_sector(application),
            country=_country(application), gender=_gender(application), forced_in=application.pin == "in",
            forced_out=application.pin == "out",
        )  # fmt: skip
    rules = _rules(call, seated, seated_countries)
    shortlist = propose_shortlist(candidates=candidates.values(), rules=rules)
    return ShortlistPage(call=call, applications=applications, candidates=candidates, scores=scores, seated=seated,
                         seated_countries=seated_countries, rules=rules, shortlist=shortlist,
                         already_seated=already)  # fmt: skip


@transaction.atomic
def set_pin(*, application: Application, pin: str, by) -> Application:
    """Keep an application in the proposal ("in"), leave it out ("out") or let the assistant choose ("").
    Raises SelectionError once the selection is decided."""
    if pin not in PINS:
        raise ValueError(pin)
    application = Application.objects.select_related("call").get(pk=application.pk)
    if application.call.decided_at is not None:
        raise SelectionError(_("The selection of this call is decided: it can no longer change."))
    if application.status not in CANDIDATE_STATUSES:
        raise SelectionError(_("Only submitted applications can be kept in or left out."))
    if application.pin != pin:
        application.pin = pin
        application.save(update_fields=["pin", "updated_at"])
    return application


# --- Deciding ---


@dataclass
class SelectionPlan:
    """What deciding would do: who is selected, each sector's reserve in order, who is told they are not selected,
    and the problems that forbid it (empty when it may go ahead)."""

    selected: list[int]
    reserve: dict[str, list[int]]
    not_selected: list[int]
    problems: list[str]

    @property
    def reserve_count(self) -> int:
        return sum(len(ids) for ids in self.reserve.values())


def plan_selection(*, page: ShortlistPage, selected_ids) -> SelectionPlan:
    """What choosing `selected_ids` among the page's candidates would do, and which limit it breaks if any. The
    reserve: everyone else reviewed, at or above the lowest score and not left out, by sector, best score first."""
    chosen = [pk for pk in page.candidates if pk in {int(pk) for pk in selected_ids}]
    cohort, rules = page.call.cohort, page.rules
    problems = []
    if len(chosen) > rules.capacity:
        problems.append(
            _("%(count)s selected, but the cohort has %(left)s seats left (%(capacity)s, %(taken)s already taken).")
            % {"count": len(chosen), "left": rules.capacity, "capacity": cohort.capacity, "taken": page.seated_total}
        )
    sectors = Counter(page.candidates[pk].sector for pk in chosen)
    labels = dict(Sector.choices)
    for sector in Sector.values:
        if sectors[sector] > rules.ceiling(sector):
            problems.append(
                _("%(sector)s: %(total)s seats with those selected, above its ceiling of %(ceiling)s.")
                % {
                    "sector": labels[sector],
                    "total": sectors[sector] + page.seated[sector],
                    "ceiling": cohort.ceiling(sector),
                }  # fmt: skip
            )
    if cohort.max_per_country is not None:
        from django_countries import countries as country_names

        by_country = Counter(page.candidates[pk].country for pk in chosen if page.candidates[pk].country)
        for country, count in sorted(by_country.items()):
            if count > rules.country_cap(country):
                problems.append(
                    _("%(country)s: %(total)s people with those selected, above the country cap of %(cap)s.")
                    % {
                        "country": country_names.name(country) or country,
                        "total": count + page.seated_countries[country],
                        "cap": cohort.max_per_country,
                    }  # fmt: skip
                )
    reserve: dict[str, list[int]] = {}
    minimum = rules.min_score
    for pk in sorted(set(page.candidates) - set(chosen), key=lambda pk: _rank_key(page.candidates[pk])):
        candidate = page.candidates[pk]
        if candidate.score is None or candidate.forced_out or (minimum is not None and candidate.score < minimum):
            continue
        reserve.setdefault(candidate.sector, []).append(pk)
    in_reserve = {pk for ids in reserve.values() for pk in ids}
    not_selected = [pk for pk in page.candidates if pk not in chosen and pk not in in_reserve]
    return SelectionPlan(selected=chosen, reserve=reserve, not_selected=not_selected, problems=problems)


def _invite(application: Application, *, sector: str, by) -> Invitation:
    """The selected person's invitation, linked to their application (an earlier invitation to the cohort is
    linked instead and sent again if not answered)."""
    user = application.user
    profile = getattr(user, "profile", None)
    existing = Invitation.objects.filter(cohort_id=application.call.cohort_id, email__iexact=user.email).first()
    if existing is None:
        invitation = invite_person(
            cohort=application.call.cohort, email=user.email, intended_sector=sector, invited_by=by,
            full_name=profile.full_name if profile is not None else "", country=_country(application),
            language=application.language,
        )  # fmt: skip
    else:
        invitation = existing
        if invitation.status == Invitation.Status.PENDING:
            resend_invitation(invitation=invitation, by=by)
    invitation.application = application
    invitation.save(update_fields=["application"])
    return invitation


def _put_on_reserve(application: Application, *, sector: str, rank: int, at, by) -> Registration | None:
    """A waitlisted registration, queued by `at` (the reserve's order), so that a freed seat goes to the best."""
    user = application.user
    registration = Registration.objects.filter(cohort_id=application.call.cohort_id, user=user).first()
    if registration is not None:
        return None  # already registered (waitlisted or waiting for an organiser): their registration stays
    registration = Registration.objects.create(
        cohort_id=application.call.cohort_id, user=user, status=RegistrationStatus.WAITLISTED, sector=sector,
        country=_country(application), language=application.language, decided_by=by, decided_at=at,
    )  # fmt: skip
    # `applied_at` is set on creation: put it in the reserve's order (the waitlist goes by it).
    Registration.objects.filter(pk=registration.pk).update(applied_at=at + timedelta(microseconds=rank))
    reason = _("On the reserve list of the call, place %(rank)s.") % {"rank": rank}
    # Not emailed as a registration change: the applicant hears of the reserve list by the decision's email.
    _log(registration, RegistrationEvent.Kind.DECISION, actor=by, reason=reason, notify=False)
    return registration


def owe_decision_email(application: Application) -> None:
    """'You are on the reserve list' or 'you were not selected', once per application (a retried job sends none)."""
    owe_email(
        key=f"application-decision:{application.pk}",
        builder="participants.services.selection.build_decision_email",
        args={"application_id": application.pk},
        on_sent="participants.services.selection.decision_email_sent",
    )


def build_decision_email(*, application_id: int):
    """The reserve or not-selected email in the applicant's language; None for an erased or closed account."""
    from django.core.mail import EmailMessage
    from django.template.loader import render_to_string
    from django.utils import translation

    from ..notifications import application_url

    application = (
        Application.objects.select_related("user__profile", "call__cohort__session").filter(pk=application_id).first()
    )
    if application is None or not application.user.is_active or application.status not in DECIDED_STATUSES:
        return None
    with translation.override(application.language):
        context = {
            "application": application, "session": application.call.cohort.session.localized,
            "url": application_url(application),
            "name": getattr(getattr(application.user, "profile", None), "display_name", "") or application.user.email,
        }  # fmt: skip
        subject = render_to_string("emails/application_decision_subject.txt", context).strip()
        body = render_to_string("emails/application_decision_body.txt", context)
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [application.user.email])


def decision_email_sent(*, application_id: int) -> None:
    Application.objects.filter(pk=application_id, decision_notified_at__isnull=True).update(
        decision_notified_at=timezone.now()
    )


@transaction.atomic
def decide_selection(*, call: Call, selected_ids, by) -> SelectionPlan:
    """Decide a call's selection, once: the selected are invited (accepting confirms them), the reserve is
    waitlisted by sector in score order, everyone else is told they were not selected; all logged.
    Raises SelectionError if it is already decided or the choice breaks a limit (saying which)."""
    _lock(call.cohort)
    call = Call.objects.select_for_update().select_related("cohort__session").get(pk=call.pk)
    if call.decided_at is not None:
        raise SelectionError(_("The selection of this call is already decided."))
    page = shortlist_for_call(call=call)
    plan = plan_selection(page=page, selected_ids=selected_ids)
    if plan.problems:
        raise SelectionError(" ".join(plan.problems))
    now = timezone.now()
    for pk in plan.selected:
        application = page.applications[pk]
        try:
            _invite(application, sector=page.candidates[pk].sector, by=by)
        except InvitationError as error:
            raise SelectionError(str(error)) from error
        application.status = ApplicationStatus.SELECTED
    for sector, ids in plan.reserve.items():
        for rank, pk in enumerate(ids, start=1):
            application = page.applications[pk]
            _put_on_reserve(application, sector=sector, rank=rank, at=now, by=by)
            application.status, application.reserve_rank = ApplicationStatus.RESERVE, rank
            owe_decision_email(application)
    for pk in plan.not_selected:
        application = page.applications[pk]
        application.status = ApplicationStatus.NOT_SELECTED
        owe_decision_email(application)
    for application in page.applications.values():
        application.decided_at = now
    Application.objects.bulk_update(page.applications.values(), ["status", "reserve_rank", "decided_at"])
    # Applicants who already held a seat keep it: selected, nobody emailed.
    Application.objects.filter(pk__in=[a.pk for a in page.already_seated]).update(
        status=ApplicationStatus.SELECTED, decided_at=now
    )
    call.decided_at, call.decided_by = now, by
    call.save(update_fields=["decided_at", "decided_by", "updated_at"])
    record_audit(
        actor=by, action=AuditEntry.Action.SELECTION, cohort_id=call.cohort_id,
        details=audit_details.selection_decided(
            selected=len(plan.selected) + len(page.already_seated), reserve=plan.reserve_count,
            not_selected=len(plan.not_selected),
        ),
    )  # fmt: skip
    return plan
