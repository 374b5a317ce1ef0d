from wagtail.admin.forms import WagtailAdminPageForm

from .l10n import time_zone_choices


class SessionPageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "time_zone" in self.fields:
            # Names in the editor's language, then the id: "Malaysia (Kuala Lumpur) Time, GMT+8 — Asia/Kuala_Lumpur".
            self.fields["time_zone"].choices = time_zone_choices()

    def clean(self):
        cleaned_data = super().clean()
        # The model's clean() checks agenda modules against the programme; a page being created is not
        # in the tree yet, so hand it the parent the editor is adding it under.
        if self.parent_page is not None and not self.instance.path:
            self.instance.programme_for_validation = self.parent_page
        return cleaned_data
