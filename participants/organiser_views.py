"""The organiser's pages: cohorts, their composition and the decisions on each registration."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from courses import fragment_cache
from courses.responses import XLSX, download, keep_private

from . import audit_details, selectors, services
from .forms import CohortSettingsForm, DecisionForm, InviteForm, RoleMemberForm
from .models import Cohort, Invitation, Registration, RegistrationStatus
from .permissions import can_manage_cohorts


def organiser_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_manage_cohorts(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@organiser_required
def cohort_list(request):
    if request.method == "POST":
        from courses.models import SessionPage

        session = get_object_or_404(SessionPage, pk=request.POST.get("session"))
        try:
            cohort = services.create_cohort(session=session, created_by=request.user)
        except services.RegistrationError as error:
            messages.error(request, str(error))
            return redirect("participants:cohorts")
        messages.success(
            request, _("Cohort created with 36 seats and a 50/50 balance; adjust them in the cohort's settings.")
        )
        return redirect("participants:cohort", pk=cohort.pk)
    return render(
        request,
        "participants/organise/cohort_list.html",
        {"cohorts": selectors.list_cohorts(), "sessions_without_cohort": selectors.list_sessions_without_cohort()},
    )


@organiser_required
def cohort_detail(request, pk: int):
    # Only the title is read on every visit (a session page's row is wide); the rest comes from the shared cache.
    title = get_object_or_404(Cohort.objects.filter(pk=pk).values_list("session__title", flat=True))
    form = InviteForm(request.POST or None, initial={"language": request.LANGUAGE_CODE})
    if request.method == "POST" and form.is_valid():
        cohort = Cohort.objects.select_related("session").get(pk=pk)
        try:
            services.invite_person(cohort=cohort, invited_by=request.user, **form.cleaned_data)
        except services.InvitationError as error:
            form.add_error("email", str(error))
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]})
            return redirect("participants:cohort", pk=cohort.pk)
    services.record_view(actor=request.user, details=audit_details.viewed("cohort_page"), key=f"cohort:{pk}",
                         cohort_id=pk)  # fmt: skip
    page = request.GET.get("invitations", "1")
    page = page if page.isdigit() and len(page) < 6 else "1"  # and the cache key stays bounded
    declined = request.GET.get("declined", "1")
    declined = declined if declined.isdigit() and len(declined) < 6 else "1"

    def context() -> dict:
        cohort = Cohort.objects.select_related("session").get(pk=pk)
        overview = selectors.get_cohort_overview(cohort=cohort, invitations_page=page, declined_page=declined)
        return {"cohort": cohort, "session": cohort.session, "invite_form": form, **overview}

    # What it shows: the cohort's registrations and invitations, people's names, organisations, the session page.
    overview = fragment_cache.render(
        request, "participants/organise/cohort_overview.html", context,
        topics=[("cohort", pk), "organisations", "pages"], vary=[page, declined],
        use_cache=not form.is_bound,  # a form sent back with its errors is this organiser's alone
    )  # fmt: skip
    response = render(request, "participants/organise/cohort_detail.html", {"title": title, "overview": overview})
    return keep_private(response)  # names and addresses: no cache on the way may keep it


@organiser_required
def cohort_settings(request, pk: int):
    """Seats, balance, registration dates and certificates of one cohort; a change may move the waitlist up."""
    cohort = get_object_or_404(Cohort.objects.select_related("session"), pk=pk)
    session = cohort.session
    # Registration dates are typed and shown at the venue's wall clock, as the session's own times are.
    with timezone.override(session.time_zone):
        form = CohortSettingsForm(request.POST or None, instance=cohort)
        if request.method == "POST" and form.is_valid():
            changes = {name: form.cleaned_data[name] for name in services.COHORT_SETTINGS}
            try:
                promoted = services.update_cohort_settings(cohort=cohort, changes=changes, by=request.user)
            except services.CohortSettingsError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The cohort's settings are saved."))
                if promoted:
                    messages.info(
                        request,
                        ngettext(
                            "%(count)s person moved up from the waitlist and was told by email.",
                            "%(count)s people moved up from the waitlist and were told by email.",
                            len(promoted),
                        )
                        % {"count": len(promoted)},
                    )
                return redirect("participants:cohort", pk=cohort.pk)
        context = {"cohort": cohort, "session": session.localized, "form": form, "time_zone": session.time_zone}
        return render(request, "participants/organise/cohort_settings.html", context)


ACTIONS = {
    "confirm": lambda r, by, reason: services.confirm_registration(registration=r, by=by, reason=reason),
    "waitlist": lambda r, by, reason: services.waitlist_registration(registration=r, by=by, reason=reason),
    "cancel": lambda r, by, reason: services.withdraw_registration(registration=r, by=by, reason=reason),
    "override": lambda r, by, reason: services.override_decision(
        registration=r, status=RegistrationStatus.CONFIRMED, by=by, reason=reason
    ),
}


@organiser_required
def registration_action(request, pk: int, action: str):
    """One decision on a registration; one that cannot be taken back shows what follows and is confirmed first."""
    from django.http import HttpResponseNotAllowed

    registration = get_object_or_404(Registration.objects.select_related("user__profile", "cohort__session"), pk=pk)
    if action not in ACTIONS:
        raise PermissionDenied
    form = DecisionForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    if "keep" in request.POST:
        return redirect("participants:cohort", pk=registration.cohort_id)
    if "confirmed" not in request.POST and services.decision_needs_confirmation(action=action,
                                                                                registration=registration):  # fmt: skip
        context = {"registration": registration, "session": registration.cohort.session, "action": action,
                   "reason": reason, "open": registration.status in services.CANCELLABLE if action == "cancel"
                   else registration.status == RegistrationStatus.CONFIRMED,
                   **services.describe_withdrawal(registration=registration)}  # fmt: skip
        return keep_private(render(request, "participants/organise/registration_decision.html", context))
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        ACTIONS[action](registration, request.user, reason)
    except (services.AdmissionError, services.RegistrationError) as error:
        messages.error(request, f"{registration.user.email}: {error}")
    else:
        messages.success(request, _("%(email)s: done.") % {"email": registration.user.email})
    return redirect("participants:cohort", pk=registration.cohort_id)


@organiser_required
@require_POST
def invitation_resend(request, pk: int):
    invitation = get_object_or_404(Invitation, pk=pk)
    try:
        services.resend_invitation(invitation=invitation, by=request.user)
    except services.InvitationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Invitation sent again to %(email)s.") % {"email": invitation.email})
    return redirect("participants:cohort", pk=invitation.cohort_id)


@organiser_required
@require_POST
def invitation_reopen(request, pk: int):
    """Put a declined invitation back among those not answered yet (nobody is emailed; *Send again* does that)."""
    invitation = get_object_or_404(Invitation, pk=pk)
    try:
        services.reopen_invitation(invitation=invitation, by=request.user)
    except services.InvitationError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("The invitation of %(email)s is open again: they can register with the link they have. Send it again "
              "if they need a new one.") % {"email": invitation.email},
        )  # fmt: skip
    return redirect("participants:cohort", pk=invitation.cohort_id)


@organiser_required
def cohort_export(request, pk: int):
    """The cohort's participants as an Excel file, in the organiser's language; the export is logged."""
    import io

    from .exports import export_cohort

    cohort = get_object_or_404(Cohort.objects.select_related("session"), pk=pk)
    buffer = io.BytesIO()
    export_cohort(cohort=cohort, destination=buffer, user=request.user, language=request.LANGUAGE_CODE)
    return _xlsx_response(buffer.getvalue(), f"{cohort.session.slug}-participants.xlsx")


IMPORT_SESSION_KEY = "participants-import-{pk}"


def _xlsx_response(content: bytes, filename: str):
    return download(content, filename=filename, content_type=XLSX, private=True)


@organiser_required
def import_template(request):
    from .imports import template_workbook

    return _xlsx_response(template_workbook(), "invitations-template.xlsx")


@organiser_required
def cohort_import(request, pk: int):
    """Upload a sheet, see every row checked, then import the valid rows (or nothing, when strict)."""
    from dataclasses import asdict

    from .imports import Preview, Row, SheetError, import_rows, read_sheet, rejected_workbook

    cohort = get_object_or_404(Cohort.objects.select_related("session"), pk=pk)
    key = IMPORT_SESSION_KEY.format(pk=cohort.pk)
    context = {"cohort": cohort, "session": cohort.session}
    stored = request.session.get(key)
    preview = Preview(rows=[Row(**row) for row in stored["rows"]]) if stored else None

    if request.method == "POST" and "sheet" in request.FILES:
        upload = request.FILES["sheet"]
        try:
            preview = read_sheet(upload.read(), cohort=cohort)
        except SheetError as error:
            context["error"] = str(error)
            return render(request, "participants/organise/cohort_import.html", context, status=400)
        strict = bool(request.POST.get("strict"))
        request.session[key] = {"rows": [asdict(row) for row in preview.rows], "strict": strict, "name": upload.name}
        return redirect("participants:cohort_import", pk=cohort.pk)
    if request.method == "POST" and "confirm" in request.POST and preview is not None:
        strict = stored["strict"]
        imported = import_rows(cohort=cohort, preview=preview, invited_by=request.user, strict=strict)
        del request.session[key]
        if imported:
            messages.success(request, _("%(count)s invitations are on their way.") % {"count": imported})
        else:
            messages.error(request, _("Nothing was imported: in strict mode every row must be valid."))
        return redirect("participants:cohort", pk=cohort.pk)
    if request.GET.get("rejected") and preview is not None:
        return _xlsx_response(rejected_workbook(preview), "rejected-rows.xlsx")
    if request.method == "POST" and "discard" in request.POST:
        request.session.pop(key, None)
        return redirect("participants:cohort_import", pk=cohort.pk)
    context.update(preview=preview, stored=stored)
    return render(request, "participants/organise/cohort_import.html", context)


@organiser_required
def audit_trail(request):
    """Who viewed or exported personal data, decided on a registration or overrode a rule; what people asked."""
    from django.conf import settings

    kind = request.GET.get("kind", "")
    kind = kind if kind in selectors.AUDIT_KINDS else ""
    context = {
        "page": selectors.list_audit_trail(kind=kind, page=request.GET.get("page", 1)),
        "kind": kind,
        "kinds": [
            ("", _("Everything")), ("views", _("Views")), ("exports", _("Exports")),
            ("decisions", _("Decisions and overrides")), ("requests", _("People's own requests")),
            ("purges", _("Purges")), ("settings", _("Settings and roles")),
        ],
        "retention_days": settings.AUDIT_RETENTION_DAYS,
    }  # fmt: skip
    return keep_private(render(request, "participants/organise/audit.html", context))


def role_label(group) -> str:
    from courses.permissions import role_label as label_of_role

    return label_of_role(group.name)


@organiser_required
def role_list(request):
    """Who holds each role; add a person by email (each role has its own form, told apart by its prefix)."""
    groups = selectors.list_role_groups()
    posted = request.POST.get("group") if request.method == "POST" else None
    for group in groups:
        group.label = role_label(group)
        bound = posted == str(group.pk)
        group.form = RoleMemberForm(request.POST if bound else None, prefix=f"role-{group.pk}")
        if bound and group.form.is_valid():
            try:
                services.add_to_role(group=group, email=group.form.cleaned_data["email"], by=request.user)
            except services.MembershipError as error:
                group.form.add_error("email", str(error))
            else:
                messages.success(
                    request,
                    _("%(email)s is now in %(group)s.")
                    % {"email": group.form.cleaned_data["email"], "group": group.label},
                )
                return redirect("participants:roles")
    return keep_private(render(request, "participants/organise/roles.html", {"groups": groups}))


@organiser_required
def role_remove(request, group: int, user: int):
    """Confirm, then take one person out of one role."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.http import Http404

    role = get_object_or_404(Group.objects.select_related("partner_organisation"), pk=group)
    if not services.is_managed_group(role):
        raise Http404
    member = get_object_or_404(get_user_model().objects.select_related("profile").filter(groups=role), pk=user)
    role.label = role_label(role)
    if request.method == "POST":
        try:
            services.remove_from_role(group=role, user=member, by=request.user)
        except services.MembershipError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("%(email)s is no longer in %(group)s.") % {"email": member.email,
                                                                                  "group": role.label})  # fmt: skip
        return redirect("participants:roles")
    context = {"role": role, "member": member, "is_self": member.pk == request.user.pk}
    return keep_private(render(request, "participants/organise/role_remove.html", context))
