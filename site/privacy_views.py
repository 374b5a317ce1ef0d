"""A person's own data: see what is held, download it (JSON or Excel), and erase it."""

from __future__ import annotations

from allauth.account.decorators import reauthentication_required
from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courses.permissions import requires_mfa
from courses.responses import XLSX, download, keep_private
from participants import audit_details
from participants.models import AuditEntry
from participants.services import record_audit

from . import personal_data


class ErasureForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Your email address, to confirm"))
    understood = forms.BooleanField(label=gettext_lazy("I understand that this cannot be undone."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_email(self):
        email = self.cleaned_data["email"]
        if email.strip().lower() != self.user.email.lower():
            raise forms.ValidationError(_("This is not the address of your account."))
        return email


@login_required
@reauthentication_required(allow_get=True)  # erasing cannot be undone: a left-open session is not enough
def my_data(request):
    data = personal_data.collect(user=request.user)
    counts = [(personal_data.LABELS[section], len(data[section])) for section in personal_data.SECTIONS]
    form = ErasureForm(request.POST or None, user=request.user)
    staff = requires_mfa(request.user)
    if request.method == "POST" and not staff and form.is_valid():
        personal_data.erase(user=request.user)
        logout(request)
        messages.success(request, _("Your personal data has been erased and your account closed."))
        return redirect("home")
    context = {"counts": counts, "form": form, "staff": staff}
    return keep_private(render(request, "privacy/my_data.html", context))


@login_required
def my_data_download(request, kind: str):
    data = personal_data.collect(user=request.user)
    details = audit_details.own_data(format=kind)
    record_audit(actor=request.user, action=AuditEntry.Action.DOWNLOADED_OWN, details=details, subject=request.user)
    if kind == "json":
        return download(personal_data.as_json(data), filename="attache-my-data.json",
                        content_type="application/json", private=True)  # fmt: skip
    return download(personal_data.as_workbook(data), filename="attache-my-data.xlsx", content_type=XLSX, private=True)
