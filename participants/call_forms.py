"""Forms of calls for applications: the organiser's call and questions, and the applicant's answers."""

from django import forms
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from .models import Call, CallQuestion
from .services.calls import CALL_SETTINGS, QUESTION_FIELDS

LOCAL_DATETIME = "%Y-%m-%dT%H:%M"


class CallForm(forms.ModelForm):
    """Dates and times are read and shown in the time zone active when the form is used (the venue's)."""

    class Meta:
        model = Call
        fields = list(CALL_SETTINGS)
        widgets = {
            "mode": forms.RadioSelect,
            "opens_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_DATETIME),
            "deadline": forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_DATETIME),
            # Typed by organisers, each in its language: dir="auto" reads it in its own direction on any page.
            "eligibility_en": forms.Textarea(attrs={"rows": 3, "dir": "auto", "lang": "en"}),
            "eligibility_ar": forms.Textarea(attrs={"rows": 3, "dir": "auto", "lang": "ar"}),
            "eligibility_fr": forms.Textarea(attrs={"rows": 3, "dir": "auto", "lang": "fr"}),
        }


class QuestionForm(forms.ModelForm):
    class Meta:
        model = CallQuestion
        fields = list(QUESTION_FIELDS)
        widgets = {
            **{f"label_{code}": forms.TextInput(attrs={"dir": "auto", "lang": code}) for code in ("en", "ar", "fr")},
            **{f"help_{code}": forms.TextInput(attrs={"dir": "auto", "lang": code}) for code in ("en", "ar", "fr")},
            **{f"choices_{code}": forms.Textarea(attrs={"rows": 3, "dir": "auto", "lang": code})
               for code in ("en", "ar", "fr")},
        }  # fmt: skip


def field_name(question: CallQuestion) -> str:
    return f"q{question.pk}"


class ApplicationForm(forms.Form):
    """One field per question, in the active language. Nothing is required here: a draft keeps whatever is there;
    the service checks the required answers when the application is submitted."""

    def __init__(self, *args, questions, answers, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            answer = answers.get(question.pk)
            label = _("%(question)s (required)") % {"question": question.label} if question.required else question.label
            help_text = escape(question.help)  # typed by organisers: never markup
            kind = question.kind
            if kind == CallQuestion.Kind.TEXT:
                field = forms.CharField(
                    max_length=5000, widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
                    initial=answer.text if answer else "",
                )  # fmt: skip
            elif kind == CallQuestion.Kind.CHOICE:
                field = forms.ChoiceField(
                    choices=question.choices, widget=forms.RadioSelect, initial=answer.text if answer else None
                )
            elif kind == CallQuestion.Kind.NUMBER:
                field = forms.DecimalField(
                    max_digits=12, decimal_places=2, initial=answer.number if answer else None,
                    widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal", "dir": "ltr"}),
                )  # fmt: skip
            else:
                field = forms.FileField(widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}))
                extra = _("A PDF of at most 5 MB.")
                if answer and answer.file:
                    extra = _("A PDF of at most 5 MB. Already sent: %(name)s. Choose a file only to replace it.") % {
                        "name": escape(answer.file_name)
                    }
                help_text = f"{help_text} {extra}".strip()
            field.required = False
            field.label = label
            field.help_text = help_text
            self.fields[field_name(question)] = field

    def values(self) -> dict[int, object]:
        """The answers to keep, by question id: the files only when one was chosen."""
        values = {}
        for question in self.questions:
            value = self.cleaned_data.get(field_name(question))
            if question.kind == CallQuestion.Kind.FILE:
                values[question.pk] = value or None
            else:
                values[question.pk] = "" if value is None else value
        return values
