from django.urls import path

from . import views

app_name = "participants"

urlpatterns = [
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("registrations/", views.registration_list, name="registrations"),
    path("registrations/<int:pk>/", views.registration_detail, name="registration"),
    path("registrations/<int:pk>/cancel/", views.registration_cancel, name="registration_cancel"),
    path("registrations/<int:pk>/visa-letter/", views.visa_letter, name="visa_letter"),
]

from . import organiser_views  # noqa: E402

urlpatterns += [
    path("organise/cohorts/", organiser_views.cohort_list, name="cohorts"),
    path("organise/cohorts/<int:pk>/", organiser_views.cohort_detail, name="cohort"),
    path("organise/cohorts/<int:pk>/participants.xlsx", organiser_views.cohort_export, name="cohort_export"),
    path("organise/cohorts/<int:pk>/import/", organiser_views.cohort_import, name="cohort_import"),
    path("organise/invitations/template.xlsx", organiser_views.import_template, name="import_template"),
    path(
        "organise/registrations/<int:pk>/<slug:action>/",
        organiser_views.registration_action,
        name="registration_action",
    ),  # fmt: skip
    path("organise/invitations/<int:pk>/resend/", organiser_views.invitation_resend, name="invitation_resend"),
]
