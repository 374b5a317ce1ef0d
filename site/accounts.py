"""How allauth behaves for Attaché."""

import time

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context


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
