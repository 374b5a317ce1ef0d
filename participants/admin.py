from django import forms
from django.contrib import admin, messages
from django.utils.translation import ngettext

from .forms import CohortCapacityCheck
from .models import Cohort, Profile, Registration, RegistrationEvent
from .services import COHORT_SETTINGS, CohortSettingsError, update_cohort_settings


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["full_name", "preferred_name", "organisation", "nationality"]
    search_fields = ["full_name", "native_name", "preferred_name", "user__email"]
    list_select_related = ["organisation", "user"]
    raw_id_fields = ["user"]
    # The photo and the consents are the person's own, given on their invitation form, which re-encodes the photo
    # and keeps it only with consent (ProfileForm, save_profile); this form would bypass both.
    readonly_fields = ["photo", "listed_in_directory", "consent_photo", "consent_share_contact", "consents_updated_at"]


class CohortAdminForm(CohortCapacityCheck, forms.ModelForm):
    class Meta:
        model = Cohort
        fields = ["session", *COHORT_SETTINGS]


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    """A change goes through update_cohort_settings, as on the organisers' settings page: the capacity never drops
    below the confirmed count, the change is logged, and seats it opens go to the waitlist."""

    form = CohortAdminForm
    list_display = ["session", "capacity", "target_government", "target_civil_society", "tolerance", "max_per_country"]
    list_select_related = ["session"]
    readonly_fields = ["attendance_closed_at"]  # set by closing the attendance, never by hand

    def get_readonly_fields(self, request, obj=None):
        # A cohort belongs to its session for good: its registrations, attendance and surveys were made for it.
        return [*self.readonly_fields, "session"] if obj is not None else self.readonly_fields

    def save_model(self, request, obj, form, change):
        if not change:
            return super().save_model(request, obj, form, change)
        changes = {name: form.cleaned_data[name] for name in COHORT_SETTINGS if name in form.cleaned_data}
        try:
            promoted = update_cohort_settings(cohort=obj, changes=changes, by=request.user)
        except CohortSettingsError as error:  # someone took a seat since the form was checked
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return
        if promoted:
            count = len(promoted)
            self.message_user(
                request,
                ngettext(
                    "%(count)s person moved up from the waitlist and was told by email.",
                    "%(count)s people moved up from the waitlist and were told by email.",
                    count,
                )
                % {"count": count},
            )


class RegistrationEventInline(admin.TabularInline):
    model = RegistrationEvent
    fields = ["created_at", "kind", "from_status", "to_status", "actor", "reason", "notified_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    """Statuses change only through the services (which keep the cohort's rules); here they are read-only."""

    list_display = ["user", "cohort", "status", "sector", "country", "applied_at"]
    list_filter = ["status", "sector"]
    search_fields = ["user__email", "user__profile__full_name"]
    list_select_related = ["user", "cohort__session"]
    readonly_fields = ["user", "cohort", "status", "sector", "country", "applied_at", "decided_by", "decided_at",
                       "decision_reason"]  # fmt: skip
    inlines = [RegistrationEventInline]

    def has_add_permission(self, request):
        return False
