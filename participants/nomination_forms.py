"""Forms of nominations: the organiser's link for a focal point, and the focal point's nominee."""

from django import forms

from .models import Nomination, NominationLink


class NominationLinkForm(forms.ModelForm):
    class Meta:
        model = NominationLink
        fields = ["organisation_name", "focal_point_name", "focal_point_email", "language", "max_nominees"]
        widgets = {
            # Typed by people in any script: dir="auto" reads each in its own direction on any page.
            "organisation_name": forms.TextInput(attrs={"dir": "auto"}),
            "focal_point_name": forms.TextInput(attrs={"dir": "auto", "autocomplete": "off"}),
            "focal_point_email": forms.EmailInput(attrs={"dir": "ltr", "autocomplete": "off"}),
        }


class NominationForm(forms.ModelForm):
    class Meta:
        model = Nomination
        fields = ["full_name", "email", "position", "language"]
        widgets = {
            "full_name": forms.TextInput(attrs={"dir": "auto", "autocomplete": "off"}),
            "email": forms.EmailInput(attrs={"dir": "ltr", "autocomplete": "off"}),
            "position": forms.TextInput(attrs={"dir": "auto"}),
        }
