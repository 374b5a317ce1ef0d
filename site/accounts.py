"""How allauth behaves for Attaché."""

import time

from allauth.account import app_settings as account_settings
from allauth.account import forms as allauth_forms
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.account.utils import passthrough_next_redirect_url
from allauth.core import context, ratelimit
from allauth.core.internal.ratelimit import get_ip
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        """Account emails (verification, codes, password resets) go through the outbox like every other: sent at
        once, and if the mail server is down the page still answers and the sweeper sends it later."""
        import uuid

        from django.contrib.sites.shortcuts import get_current_site

        from courses.outbox import owe_email

        request = globals()["context"].request
        values = {"request": request, "email": email, "current_site": get_current_site(request), **context}
        message = self.render_mail(template_prefix, email, values)
        owe_email(key=f"account:{template_prefix.rsplit('/', 1)[-1]}:{uuid.uuid4().hex}", message=message,
                  send_now=True)  # fmt: skip

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """Someone who signed in less than five minutes ago is not asked for their password again.

        That is when a staff member sets up two-factor authentication (sent there at sign-in) and reads the
        recovery codes it produces; later changes to MFA still ask for the password again.
        """
        required = super().is_reauthentication_required(app=app, **kwargs)
        request = context.request
        if not required or app != "allauth.mfa" or request is None or not request.user.is_authenticated:
            return required
        records = get_authentication_records(request, request.user)
        recent = bool(records) and time.time() - records[-1]["at"] < account_settings.REAUTHENTICATION_TIMEOUT
        return not recent


class LoginForm(allauth_forms.LoginForm):
    """Sign-in by password. While password attempts are paused (too many wrong ones for the address, or from the
    same IP), the error offers a code by email: a stranger can pause the password, never keep the owner out."""

    def clean(self):
        try:
            return super().clean()
        except ValidationError as error:
            if error.code != "too_many_login_attempts" or not account_settings.LOGIN_BY_CODE_ENABLED:
                raise
            url = passthrough_next_redirect_url(self.request, reverse("account_request_login_code"),
                                                REDIRECT_FIELD_NAME)  # fmt: skip
            raise ValidationError(
                format_html(
                    '{} <a href="{}">{}</a>',
                    _(
                        "Too many failed sign-in attempts: signing in with a password is paused for a few minutes. "
                        "You can still sign in now with a code sent to your email."
                    ),
                    url,
                    _("Send me a sign-in code"),
                ),
                code=error.code,
            ) from None


class RequestLoginCodeForm(allauth_forms.RequestLoginCodeForm):
    """Codes are limited per IP (ACCOUNT_RATE_LIMITS["request_login_code"]) and per address from one IP, never per
    address alone: a stranger asking for codes for someone's address must not use up that person's own."""

    def clean_email(self) -> str:
        email = super().clean_email()
        if email and not ratelimit.consume(context.request, action="request_login_code_per_ip",
                                           key=f"{email.lower()} {get_ip(context.request)}"):  # fmt: skip
            raise ValidationError(
                _("Too many codes were requested for this address from here. Try again in a few minutes."),
                code="too_many_codes",
            )
        return email
