from wagtail.admin.forms import WagtailAdminPageForm


class SessionPageForm(WagtailAdminPageForm):
    def clean(self):
        cleaned_data = super().clean()
        # The model's clean() checks agenda modules against the programme; a page being created is not
        # in the tree yet, so hand it the parent the editor is adding it under.
        if self.parent_page is not None and not self.instance.path:
            self.instance.programme_for_validation = self.parent_page
        return cleaned_data
