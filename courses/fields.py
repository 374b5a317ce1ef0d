"""A list of values from a fixed vocabulary, stored as JSON and edited as checkboxes."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .vocabulary import DELIVERY_LANGUAGES, Theme


class ChoicesListField(models.JSONField):
    item_choices: list[tuple[str, str]] = []

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        return forms.MultipleChoiceField(
            choices=self.item_choices,
            widget=forms.CheckboxSelectMultiple,
            required=not self.blank,
            label=capfirst(self.verbose_name),
            help_text=self.help_text,
        )

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        allowed = {code for code, _label in self.item_choices}
        unknown = [item for item in value or [] if item not in allowed]
        if unknown:
            raise ValidationError(_("Unknown value: %(values)s."), params={"values": ", ".join(map(str, unknown))})

    def labels(self, values) -> list[str]:
        names = dict(self.item_choices)
        return [str(names[value]) for value in values or [] if value in names]


class ThemesField(ChoicesListField):
    item_choices = Theme.choices


class LanguagesField(ChoicesListField):
    item_choices = DELIVERY_LANGUAGES
