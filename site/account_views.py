"""Account pages of our own beside allauth's: the way on once two-factor authentication is set up."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from courses.permissions import is_organiser, is_trainer

from .middleware import AFTER_MFA_SESSION_KEY


def start_page(user) -> str:
    """Where a person's work starts: organisers at their cohorts, trainers at their sessions, others at home."""
    if is_organiser(user):
        return "participants:cohorts"
    if is_trainer(user):
        return "participants:trainer_sessions"
    return "home"


@login_required
def continue_after_mfa(request):
    """The recovery codes' "Continue": to the page the person wanted when they were sent to set up two-factor
    authentication (kept once, in their session), else to where their work starts."""
    wanted = request.session.pop(AFTER_MFA_SESSION_KEY, None)
    if wanted and url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):  # fmt: skip
        return redirect(wanted)
    return redirect(start_page(request.user))
