"""How allauth behaves for Attaché."""

import time

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context


class AccountAdapter(DefaultAccountAdapter):
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
