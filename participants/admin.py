from django.contrib import admin

from .models import Cohort, Profile, Registration, RegistrationEvent


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["full_name", "preferred_name", "organisation", "nationality"]
    search_fields = ["full_name", "native_name", "preferred_name", "user__email"]
    list_select_related = ["organisation", "user"]
    raw_id_fields = ["user"]
    # The photo and the consents are the person's own, given on their invitation form, which re-encodes the photo
    # and keeps it only with consent (ProfileForm, save_profile); this form would bypass both.
    readonly_fields = ["photo", "listed_in_directory", "consent_photo", "consent_share_contact", "consents_updated_at"]


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["session", "capacity", "target_government", "target_civil_society", "tolerance", "max_per_country"]
    list_select_related = ["session"]
    readonly_fields = ["attendance_closed_at"]  # set by closing the attendance, never by hand


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
