from django.contrib import admin

from courses.admin import ReadOnlyAdmin

from .models import RelayedMessage, Survey
from .services import survey_window


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    """Adjust a cohort's plan: the opening and closing times follow the day, time and window given here."""

    list_display = ["instrument", "cohort", "opens_at", "closes_at", "status", "anonymous"]
    list_filter = ["status", "instrument"]
    list_select_related = ["instrument", "cohort__session"]
    fields = ["cohort", "instrument", "anchor", "offset_days", "local_time", "window_hours", "anonymous",
              "max_reminders", "opens_at", "closes_at", "status"]  # fmt: skip
    readonly_fields = ["opens_at", "closes_at", "status"]

    def get_readonly_fields(self, request, obj=None):
        # Once open, what it asks and of whom is fixed: answers were given to that questionnaire, anonymously or not.
        if obj is not None and obj.status != obj.Status.SCHEDULED:
            return [*self.readonly_fields, "cohort", "instrument", "anonymous"]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        obj.opens_at, obj.closes_at = survey_window(
            session=obj.cohort.session, anchor=obj.anchor, offset_days=obj.offset_days, local_time=obj.local_time,
            window_hours=obj.window_hours,
        )  # fmt: skip
        super().save_model(request, obj, form, change)


@admin.register(RelayedMessage)
class RelayedMessageAdmin(ReadOnlyAdmin):
    """The relay's log, to look into misuse: who wrote to whom and when. The text was never kept; nothing here
    can be added, changed or deleted."""

    list_display = ["sent_at", "sender", "recipient", "in_reply_to"]
    list_select_related = ["sender", "recipient"]
    date_hierarchy = "sent_at"
    search_fields = ["sender__email", "recipient__email"]
    fields = ["sender", "recipient", "in_reply_to", "sent_at"]
    readonly_fields = fields
