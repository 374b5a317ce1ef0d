from django.contrib import admin

from .models import Cohort, Profile, Registration


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["full_name", "preferred_name", "organisation", "nationality"]
    search_fields = ["full_name", "native_name", "preferred_name", "user__email"]
    list_select_related = ["organisation", "user"]
    raw_id_fields = ["user"]


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["session", "capacity", "target_government", "target_civil_society", "tolerance"]
    list_select_related = ["session"]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["user", "cohort", "status", "applied_at"]
    list_filter = ["status"]
    list_select_related = ["user", "cohort__session"]
    raw_id_fields = ["user"]
