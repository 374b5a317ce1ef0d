import datetime

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from courses.images import ACCEPT, reencode_image
from courses.models import Sector

from .models import AttendanceStatus, Cohort, Gender, Profile, Registration
from .selectors import count_seated_by_sector
from .services.cohorts import COHORT_SETTINGS, CohortSettingsError, check_capacity

PHOTO_MAX_BYTES = 5 * 1024 * 1024


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Profile
        fields = [
            "full_name", "native_name", "preferred_name", "gender", "gender_self_described", "organisation",
            "position", "nationality", "country_of_posting", "languages", "phone", "messaging",
            "photo", "listed_in_directory", "consent_photo", "consent_share_contact",
        ]  # fmt: skip
        widgets = {"full_name": forms.TextInput(attrs={"dir": "auto", "autocomplete": "name"}),
                   "native_name": forms.TextInput(attrs={"dir": "auto"}),
                   "preferred_name": forms.TextInput(attrs={"dir": "auto"}),
                   "position": forms.TextInput(attrs={"dir": "auto"}),
                   "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
                   "photo": forms.ClearableFileInput(attrs={"accept": ACCEPT})}  # fmt: skip
        # A plain file field: clean_photo opens the upload itself (Django's image field would open it a second time).
        field_classes = {"photo": forms.FileField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].required = True
        self.fields["organisation"].help_text = _(
            "Your organisation decides your sector (government or civil society) in the cohort's balance. "
            "Not in the list? Tell the organisers."
        )
        self.fields["nationality"].required = True
        self.fields["photo"].help_text = _(
            "A clear face photo, JPEG, PNG or WebP, at most 5 MB. Kept only if you allow it to be shown below."
        )

    def clean_photo(self):
        """A new upload is checked and encoded again here, so that a refusal shows next to the field."""
        photo = self.cleaned_data.get("photo")
        if not isinstance(photo, UploadedFile):
            return photo  # the photo already kept, none, or False for "clear"
        if photo.size > PHOTO_MAX_BYTES:
            raise forms.ValidationError(_("This photo is larger than 5 MB. Choose a smaller one."))
        return reencode_image(photo)

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("gender") == Gender.SELF_DESCRIBED and not cleaned_data.get("gender_self_described"):
            self.add_error(
                "gender_self_described", _("Describe your gender in your own words, or choose another answer.")
            )
        if self.cleaned_data.get("photo") and "photo" in self.changed_data and not cleaned_data.get("consent_photo"):
            self.add_error("photo", _("We keep a photo only if you allow it to be shown: tick the box below, or "
                                      "leave the photo out."))  # fmt: skip
        return cleaned_data


class LogisticsForm(forms.ModelForm):
    class Meta:
        model = Registration
        fields = ["travelling_from", "needs_visa_letter", "dietary", "accessibility"]
        widgets = {"travelling_from": forms.TextInput(attrs={"dir": "auto"}),
                   "dietary": forms.TextInput(attrs={"dir": "auto"}),
                   "accessibility": forms.TextInput(attrs={"dir": "auto"})}  # fmt: skip


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Email"), widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    full_name = forms.CharField(label=_("Name (as in passport, if known)"), required=False, max_length=200,
                                widget=forms.TextInput(attrs={"dir": "auto"}))  # fmt: skip
    intended_sector = forms.ChoiceField(label=_("Intended sector"), choices=Sector.choices)
    language = forms.ChoiceField(label=_("Language of the invitation"), choices=settings.LANGUAGES)


class DecisionForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=1000)


class AttendanceForm(forms.Form):
    registration = forms.IntegerField()
    date = forms.DateField()
    status = forms.ChoiceField(choices=AttendanceStatus.choices)
    # The status the trainer saw when tapping ('' for none); absent when the page sends no expectation.
    expected = forms.ChoiceField(choices=[("", ""), *AttendanceStatus.choices], required=False)


class AttendanceCorrectionForm(forms.Form):
    registration = forms.TypedChoiceField(label=_("Participant"), coerce=int)
    date = forms.TypedChoiceField(label=_("Day"), coerce=datetime.date.fromisoformat)
    status = forms.ChoiceField(label=_("Attendance"), choices=AttendanceStatus.choices)
    reason = forms.CharField(label=_("Reason"), max_length=1000, widget=forms.TextInput(attrs={"dir": "auto"}))

    def __init__(self, *args, people, days, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["registration"].choices = [(r.pk, r.person.isolated_label) for r in people]
        self.fields["date"].choices = [(d.isoformat(), date_format(d, "l j F")) for d in days]


LOCAL_DATETIME = "%Y-%m-%dT%H:%M"


class CohortCapacityCheck:
    """A model form of an existing cohort refuses a capacity below the confirmed count, next to the field (the
    service checks it again under the cohort's lock)."""

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk and cleaned_data.get("capacity") is not None:
            seated = sum(count_seated_by_sector(cohort=self.instance).values())
            try:
                check_capacity(capacity=cleaned_data["capacity"], seated=seated)
            except CohortSettingsError as error:
                self.add_error(None, error)
        return cleaned_data


class CohortSettingsForm(CohortCapacityCheck, forms.ModelForm):
    """Dates and times are read and shown in the time zone active when the form is used (the venue's)."""

    class Meta:
        model = Cohort
        fields = list(COHORT_SETTINGS)
        widgets = {
            "registration_opens": forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_DATETIME),
            "registration_closes": forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_DATETIME),
            "certificate_signatories": forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
        }


class RoleMemberForm(forms.Form):
    email = forms.EmailField(
        label=_("Email of the person to add"), widget=forms.EmailInput(attrs={"autocomplete": "off", "dir": "ltr"})
    )
