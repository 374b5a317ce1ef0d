from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courses.responses import download

from . import audit_details, services
from .forms import LogisticsForm, ProfileForm
from .models import Invitation, Profile, Registration, RegistrationStatus
from .selectors import certificate_days_needed, count_days_attended, get_waitlist_position, list_registrations_of
from .tokens import InvalidToken


def _closed(request, message: str = "", *, status: int):
    context = {"message": message} if message else {"invalid": True}
    return render(request, "participants/invitation_closed.html", context, status=status)


def _not_theirs(request, invitation):
    """The page for someone signed in with another address than the invited one (None when it is theirs). The
    link is a bearer link: signed out, whoever holds it acts for the invited address (it reached that inbox)."""
    if request.user.is_authenticated:
        try:
            services.check_invitation_for(invitation, request.user)
        except services.InvitationError as error:
            return _closed(request, str(error), status=403)
    return None


def invitation(request, token: str):
    """The personal invitation link: explains itself when it cannot be used, else leads to the registration form."""
    try:
        invitation = services.get_invitation(token=token)
    except InvalidToken:
        return _closed(request, status=404)
    if invitation.status == Invitation.Status.DECLINED:
        return _not_theirs(request, invitation) or _declined(request, invitation, token)
    try:
        services.check_invitation_open(invitation)
    except services.InvitationError as error:
        return _closed(request, str(error), status=410)
    context = {"invitation": invitation, "session": invitation.cohort.session, "token": token}

    if not request.user.is_authenticated:
        # The link reached this inbox: an account made with this address needs no second verification email.
        get_adapter(request).stash_verified_email(request, invitation.email)
        query = urlencode({"email": invitation.email, "next": request.path})
        context["signup_url"] = f"{reverse('account_signup')}?{query}"
        context["login_url"] = f"{reverse('account_login')}?{urlencode({'next': request.path})}"
        return render(request, "participants/invitation_welcome.html", context)

    try:
        services.check_invitation_for(invitation, request.user)
    except services.InvitationError as error:
        return render(request, "participants/invitation_closed.html", {"message": str(error)}, status=403)

    if request.method == "POST" and "decline" in request.POST:
        # The button of a form left open from before: declining is asked first, as from the link.
        return redirect("participants:invitation_decline", token=token)

    profile = Profile.objects.filter(user=request.user).first() or Profile(full_name=invitation.full_name)
    profile_form = ProfileForm(request.POST or None, request.FILES or None, instance=profile, prefix="profile")
    logistics_form = LogisticsForm(request.POST or None, prefix="logistics")
    if request.method == "POST" and profile_form.is_valid() and logistics_form.is_valid():
        try:
            services.save_profile(user=request.user, data=profile_form.cleaned_data)
            registration = services.accept_invitation(
                invitation=invitation,
                user=request.user,
                logistics={**logistics_form.cleaned_data, "language": get_language()},
            )
        except services.InvitationError as error:
            return render(request, "participants/invitation_closed.html", {"message": str(error)}, status=409)
        if invitation.application_id and registration.status == RegistrationStatus.WAITLISTED:
            messages.warning(request, _(
                "You were selected, but the cohort has since filled for your sector or country: you are on its "
                "waiting list, and we will write as soon as a place frees."
            ))  # fmt: skip
        return redirect("participants:registration", pk=registration.pk)
    context.update(profile_form=profile_form, logistics_form=logistics_form)
    return render(request, "participants/invitation_form.html", context)


def _declined(request, invitation, token: str):
    """Declined: say so, and offer to reopen it until the deadline; after it, say whom to write to."""
    try:
        services.check_invitation_reopenable(invitation)
    except services.InvitationError as error:
        too_late = str(error)
    else:
        too_late = ""
    organiser = invitation.invited_by
    context = {
        "invitation": invitation, "session": invitation.cohort.session, "token": token, "too_late": too_late,
        "deadline": services.reopen_deadline(invitation),
        "contact": organiser.email if organiser is not None and organiser.is_active else "",
    }  # fmt: skip
    return render(request, "participants/invitation_declined.html", context)


def invitation_decline(request, token: str):
    """'I cannot come': a page that says what follows, then the decline (which can be reopened until the deadline)."""
    try:
        invitation = services.get_invitation(token=token)
    except InvalidToken:
        return _closed(request, status=404)
    if invitation.status == Invitation.Status.DECLINED:
        return redirect("participants:invitation", token=token)
    try:
        services.check_invitation_open(invitation)
    except services.InvitationError as error:
        return _closed(request, str(error), status=410)
    if refused := _not_theirs(request, invitation):
        return refused
    if request.method == "POST" and "confirmed" in request.POST:
        services.decline_invitation(invitation=invitation)
        messages.info(request, _("You declined the invitation. Thank you for letting us know."))
        return redirect("participants:invitation", token=token)
    context = {"invitation": invitation, "session": invitation.cohort.session, "token": token,
               "deadline": services.reopen_deadline(invitation)}  # fmt: skip
    return render(request, "participants/invitation_decline.html", context)


@require_POST
def invitation_reopen(request, token: str):
    """The invitee takes back their decline, before the deadline; then registers with the same link."""
    try:
        invitation = services.get_invitation(token=token)
    except InvalidToken:
        return _closed(request, status=404)
    if refused := _not_theirs(request, invitation):
        return refused
    try:
        services.reopen_invitation(invitation=invitation)
    except services.InvitationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your invitation is open again: you can register now."))
    return redirect("participants:invitation", token=token)


@login_required
def registration_list(request):
    return render(
        request, "participants/registration_list.html", {"registrations": list_registrations_of(user=request.user)}
    )


@login_required
def registration_detail(request, pk: int):
    """A person's own registration: its status, place on the waitlist, and a way out. Nobody else's."""
    registration = get_object_or_404(Registration.objects.select_related("cohort__session"), pk=pk, user=request.user)
    return render(
        request,
        "participants/registration_detail.html",
        {"registration": registration, "session": registration.cohort.session,
         "position": get_waitlist_position(registration=registration),
         "certificate": registration.status == RegistrationStatus.ATTENDED
         and count_days_attended(registration=registration) >= certificate_days_needed(cohort=registration.cohort),
         "can_cancel": registration.status in services.CANCELLABLE},
    )  # fmt: skip


@login_required
def registration_cancel(request, pk: int):
    """A page that says what cancelling does (the seat, the email, no way back), then the cancellation."""
    registration = get_object_or_404(Registration.objects.select_related("cohort__session"), pk=pk, user=request.user)
    if registration.status not in services.CANCELLABLE or "keep" in request.POST:
        return redirect("participants:registration", pk=pk)
    reason = request.POST.get("reason", "")[:300]
    if request.method == "POST" and "confirmed" in request.POST:
        try:
            services.withdraw_registration(registration=registration, by=request.user, reason=reason)
        except services.RegistrationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Your registration is cancelled. The organisers have been told."))
        return redirect("participants:registration", pk=pk)
    context = {"registration": registration, "session": registration.cohort.session, "reason": reason,
               **services.describe_withdrawal(registration=registration)}  # fmt: skip
    return render(request, "participants/registration_cancel.html", context)


def _own_or_organised(request, pk: int) -> Registration:
    """A registration for its person or an organiser; nobody else learns that it exists."""
    from django.http import Http404

    from .permissions import can_manage_cohorts

    registration = get_object_or_404(
        Registration.objects.select_related("user__profile__organisation", "cohort__session"), pk=pk
    )
    if registration.user_id != request.user.id and not can_manage_cohorts(request.user):
        raise Http404
    if registration.user_id != request.user.id:
        page = request.resolver_match.url_name  # the visa letter or the certificate of someone else
        services.record_view(
            actor=request.user, details=audit_details.viewed(page), key=f"{page}:{pk}",
            cohort_id=registration.cohort_id, subject=registration.user,
        )  # fmt: skip
    return registration


@login_required
def visa_letter(request, pk: int):
    """The visa invitation letter: for the participant themself or an organiser, once the place is confirmed."""
    from .letters import build_visa_letter
    from .models import SEATED

    registration = _own_or_organised(request, pk)
    if registration.status not in SEATED:
        messages.error(request, _("The visa invitation letter is available once your place is confirmed."))
        return redirect("participants:registration", pk=pk)
    return download(
        build_visa_letter(registration=registration, language=get_language()),
        filename=f"visa-invitation-letter-{registration.pk}.pdf", content_type="application/pdf", private=True,
    )  # fmt: skip


@login_required
def certificate(request, pk: int):
    """The certificate of completion: for the participant themself or an organiser, once earned."""
    registration = _own_or_organised(request, pk)
    content = None
    if registration.status == RegistrationStatus.ATTENDED:
        content = services.build_certificate_for(registration=registration, language=get_language())
    if content is None:
        messages.error(request, _("The certificate is given to those who attended the days it asks for."))
        return redirect("participants:registration", pk=pk)
    return download(content, filename=f"certificate-{registration.pk}.pdf", content_type="application/pdf",
                    private=True)  # fmt: skip
