"""Project-wide form rendering: every Django form gets Bootstrap classes and accessible errors."""

from django.forms import BoundField
from django.forms.renderers import TemplatesSetting

CHOICE_INPUTS = {"checkbox", "radio"}


class AttacheBoundField(BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        input_type = getattr(widget, "input_type", None)
        if input_type in CHOICE_INPUTS:
            css = "form-check-input"
        elif input_type == "select" or widget.__class__.__name__.endswith("Select"):
            css = "form-select"
        else:
            css = "form-control"
        if self.errors:
            css += " is-invalid"
        existing = attrs.get("class", "")
        attrs["class"] = f"{existing} {css}".strip()
        return attrs


class AttacheFormRenderer(TemplatesSetting):
    """Looks templates up in our template dirs too, so `includes/form_field.html` is found."""

    field_template_name = "includes/form_field.html"
    bound_field_class = AttacheBoundField
