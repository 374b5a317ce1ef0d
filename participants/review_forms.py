"""Forms of the review of applications: the organisers' rubric, reviewers and hand-out, the reviewer's marks."""

from django import forms
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from .models import Criterion
from .services.reviews import CRITERION_FIELDS, MAX_PER_APPLICATION

MARK_ERROR = _("Give a mark from 1 to 5.")
MARKS = [(str(value), str(value)) for value in range(1, 6)]


class CriterionForm(forms.ModelForm):
    class Meta:
        model = Criterion
        fields = list(CRITERION_FIELDS)
        widgets = {
            **{f"label_{code}": forms.TextInput(attrs={"dir": "auto", "lang": code}) for code in ("en", "ar", "fr")},
            **{f"help_{code}": forms.TextInput(attrs={"dir": "auto", "lang": code}) for code in ("en", "ar", "fr")},
        }


class BlindReviewForm(forms.Form):
    blind_review = forms.BooleanField(
        label=_("Blind review"), required=False,
        help_text=_("Reviewers see no name, organisation or country, and no uploaded file (files carry names)."),
    )  # fmt: skip


class ReviewerForm(forms.Form):
    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"] = forms.TypedChoiceField(
            label=_("Reviewer"), coerce=int,
            choices=[("", _("Choose a person"))] + [(person.pk, person.isolated_label) for person in candidates],
        )  # fmt: skip


class AssignForm(forms.Form):
    per_application = forms.IntegerField(
        label=_("Reviewers per application"), min_value=1, max_value=MAX_PER_APPLICATION, initial=2,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "dir": "ltr"}),
    )  # fmt: skip


def mark_field_name(criterion: Criterion) -> str:
    return f"c{criterion.pk}"


class ScoreForm(forms.Form):
    """A 1–5 choice per criterion of the call (each required), and a comment."""

    def __init__(self, *args, criteria, review, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        marks = {score.criterion_id: score.value for score in review.scores.all()}
        for criterion in self.criteria:
            self.fields[mark_field_name(criterion)] = forms.ChoiceField(
                label=criterion.label, choices=MARKS, widget=forms.RadioSelect,
                initial=str(marks[criterion.pk]) if criterion.pk in marks else None,
                help_text=escape(criterion.help),  # typed by organisers: never markup
                error_messages={"required": MARK_ERROR, "invalid_choice": MARK_ERROR},
            )  # fmt: skip
        self.fields["comment"] = forms.CharField(
            label=_("Comment"), required=False, max_length=5000, initial=review.comment,
            help_text=_("For the organisers: what weighed in your marks. The applicant never sees it."),
            widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
        )  # fmt: skip

    def marks(self) -> dict[int, int]:
        return {criterion.pk: int(self.cleaned_data[mark_field_name(criterion)]) for criterion in self.criteria}


class ConflictForm(forms.Form):
    note = forms.CharField(
        label=_("The conflict, in a few words"), required=False, max_length=300,
        help_text=_("For the organisers, for example: “We work in the same office.”"),
        widget=forms.TextInput(attrs={"dir": "auto"}),
    )  # fmt: skip
