"""How allauth behaves for Attaché."""

import time

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context
from allauth.mfa.utils import is_mfa_enabled


class AccountAdapter(DefaultAccountAdapter):
    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """Someone who has just signed in sets up a first authenticator without typing the password again.

        Later changes to MFA (removing it, new recovery codes) still ask for the password again.
        """
        required = super().is_reauthentication_required(app=app, **kwargs)
        request = context.request
        if not required or app != "allauth.mfa" or request is None or not request.user.is_authenticated:
            return required
        if is_mfa_enabled(request.user):
            return True
        records = get_authentication_records(request, request.user)
        signed_in_recently = (
            bool(records) and time.time() - records[-1]["at"] < account_settings.REAUTHENTICATION_TIMEOUT
        )
        return not signed_in_recently
