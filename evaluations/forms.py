"""Forms of evaluations: a questionnaire's answers (one field or a few per question, by kind) and the alumni
network's pages."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.vocabulary import Theme
from participants.models import Profile
from participants.people import Person

from .models import COLLABORATION_KINDS, DirectoryListing, QuestionKind, Survey


class ListingForm(forms.ModelForm):
    """Being in the directory, and each field shared there, one checkbox each."""

    listed = forms.BooleanField(label=_("List me in the alumni directory"), required=False)

    class Meta:
        model = DirectoryListing
        fields = [f"share_{name}" for name in DirectoryListing.FIELDS] + ["expertise", "about", "accepts_messages"]
        widgets = {"about": forms.Textarea(attrs={"rows": 3, "dir": "auto", "maxlength": 500})}

    def shared(self) -> list[str]:
        return [name for name in DirectoryListing.FIELDS if self.cleaned_data.get(f"share_{name}")]

    def share_fields(self):
        return [self[f"share_{name}"] for name in DirectoryListing.FIELDS]


class AlumnusProfileForm(forms.ModelForm):
    """What changes after a session and matters to other alumni; the organisation is changed by the organisers
    (it decides the sector)."""

    class Meta:
        model = Profile
        fields = ["position", "country_of_posting", "languages"]
        widgets = {"position": forms.TextInput(attrs={"dir": "auto"})}


class CollaborationForm(forms.Form):
    kind = forms.ChoiceField(label=_("What did you do together?"), choices=COLLABORATION_KINDS,
                             widget=forms.RadioSelect)  # fmt: skip
    happened_on = forms.DateField(label=_("When"), widget=forms.DateInput(attrs={"type": "date"}),
                                  initial=timezone.localdate)  # fmt: skip
    people = forms.TypedMultipleChoiceField(label=_("With whom"), coerce=int, widget=forms.CheckboxSelectMultiple,
                                            error_messages={"required": _("Choose at least one person.")})  # fmt: skip
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=1000,
                           help_text=_("For example: the case referred, the campaign, the training. Only you and "
                                       "the organisers see it."),
                           widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}))  # fmt: skip

    def __init__(self, *args, people: list[tuple[int, Person]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].choices = people


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search", "dir": "auto"}))  # fmt: skip
    country = forms.ChoiceField(label=_("Country"), required=False)
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    organisation = forms.TypedChoiceField(label=_("Organisation"), required=False, coerce=int, empty_value=None)
    cohort = forms.TypedChoiceField(label=_("Session"), required=False, coerce=int, empty_value=None)
    language = forms.ChoiceField(label=_("Language"), required=False)
    expertise = forms.ChoiceField(label=_("Expertise"), required=False, choices=[("", _("Any")), *Theme.choices])

    def __init__(self, *args, choices: dict, **kwargs):
        super().__init__(*args, **kwargs)
        anything = [("", _("Any"))]
        self.fields["country"].choices = anything + list(choices["countries"])
        self.fields["sector"].choices = anything + list(choices["sectors"])
        self.fields["organisation"].choices = anything + list(choices["organisations"])
        self.fields["cohort"].choices = anything + list(choices["cohorts"])
        self.fields["language"].choices = anything + list(choices["languages"])


ACTION_PLAN_ROWS = 3
ACTION_STATUSES = [
    ("done", _("Done")),
    ("in_progress", _("In progress")),
    ("not_started", _("Not started")),
    ("blocked", _("Blocked")),
]


def answers_from_post(questions, post) -> dict:
    """The raw answers, keyed by question key, as services.clean_answers expects them."""
    data = {}
    for question in questions:
        name = f"q-{question.key}"
        if question.kind in (QuestionKind.MULTIPLE, QuestionKind.COHORT_MEMBERS):
            data[question.key] = post.getlist(name)
        elif question.kind == QuestionKind.BEFORE_AFTER:
            before, after = post.get(f"{name}-before", ""), post.get(f"{name}-after", "")
            data[question.key] = {"before": before, "after": after} if before or after else None
        elif question.kind == QuestionKind.ACTION_PLAN:
            data[question.key] = [
                {
                    "action": post.get(f"{name}-action-{row}", ""),
                    "status": post.get(f"{name}-status-{row}", ""),
                    "note": post.get(f"{name}-note-{row}", ""),
                }
                for row in range(ACTION_PLAN_ROWS + 3)
                if post.get(f"{name}-action-{row}", "").strip()
            ]
        else:
            data[question.key] = post.get(name, "")
    return data


class MessageForm(forms.Form):
    """A message to relay by email, or a reply: its text only, never saved. The relay service checks the same
    limits (services.relay.MESSAGE_MIN_LENGTH, MESSAGE_MAX_LENGTH)."""

    text = forms.CharField(
        label=_("Your message"),
        min_length=10,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 8, "dir": "auto"}),
        help_text=_("Between 10 and 2,000 characters, in any language."),
        error_messages={
            "required": _("Please write your message."),
            "min_length": _("Please write at least %(limit_value)d characters."),
            "max_length": _("Please keep your message under %(limit_value)d characters (it has %(show_value)d)."),
        },
    )


class SurveyTimingForm(forms.ModelForm):
    """When a questionnaire opens (a day counted from the session's start or end, a time at the venue) and for how
    long; what it asks, of whom and whether anonymously are not changed here."""

    class Meta:
        model = Survey
        fields = ["anchor", "offset_days", "local_time", "window_hours"]
        widgets = {"local_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}
