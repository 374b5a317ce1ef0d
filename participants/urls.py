from django.urls import path

from . import views

app_name = "participants"

urlpatterns = [
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("invitations/<str:token>/decline/", views.invitation_decline, name="invitation_decline"),
    path("invitations/<str:token>/reopen/", views.invitation_reopen, name="invitation_reopen"),
    path("registrations/", views.registration_list, name="registrations"),
    path("registrations/<int:pk>/", views.registration_detail, name="registration"),
    path("registrations/<int:pk>/cancel/", views.registration_cancel, name="registration_cancel"),
    path("registrations/<int:pk>/visa-letter/", views.visa_letter, name="visa_letter"),
    path("registrations/<int:pk>/certificate/", views.certificate, name="certificate"),
]

from . import organiser_views  # noqa: E402

urlpatterns += [
    path("organise/cohorts/", organiser_views.cohort_list, name="cohorts"),
    path("organise/cohorts/<int:pk>/", organiser_views.cohort_detail, name="cohort"),
    path("organise/cohorts/<int:pk>/participants.xlsx", organiser_views.cohort_export, name="cohort_export"),
    path("organise/cohorts/<int:pk>/import/", organiser_views.cohort_import, name="cohort_import"),
    path("organise/cohorts/<int:pk>/settings/", organiser_views.cohort_settings, name="cohort_settings"),
    path("organise/invitations/template.xlsx", organiser_views.import_template, name="import_template"),
    path(
        "organise/registrations/<int:pk>/<slug:action>/",
        organiser_views.registration_action,
        name="registration_action",
    ),  # fmt: skip
    path("organise/invitations/<int:pk>/resend/", organiser_views.invitation_resend, name="invitation_resend"),
    path(
        "organise/invitations/<int:pk>/reopen/",
        organiser_views.invitation_reopen,
        name="invitation_reopen_by_organiser",
    ),  # fmt: skip
    path("organise/audit/", organiser_views.audit_trail, name="audit"),
    path("organise/roles/", organiser_views.role_list, name="roles"),
    path("organise/roles/<int:group>/members/<int:user>/remove/", organiser_views.role_remove, name="role_remove"),
]

from . import trainer_views  # noqa: E402

urlpatterns += [
    path("trainer/", trainer_views.session_list, name="trainer_sessions"),
    path("trainer/cohorts/<int:pk>/", trainer_views.session_today, name="session_today"),
    path("trainer/cohorts/<int:pk>/days/<str:date>/", trainer_views.session_day, name="session_day"),
    path("trainer/cohorts/<int:pk>/attendance/record/", trainer_views.attendance_record, name="attendance_record"),
    path("trainer/cohorts/<int:pk>/attendance/", trainer_views.attendance_matrix, name="attendance"),
    path("trainer/cohorts/<int:pk>/attendance/close/", trainer_views.attendance_close, name="attendance_close"),
    path("trainer/cohorts/<int:pk>/attendance.xlsx", trainer_views.attendance_export, name="attendance_export"),
    path("trainer/cohorts/<int:pk>/pack/", trainer_views.pack, name="pack"),
    path("trainer/cohorts/<int:pk>/pack/status/", trainer_views.pack_status, name="pack_status"),
    path("trainer/cohorts/<int:pk>/pack/download/", trainer_views.pack_download, name="pack_download"),
    path("check-in/<str:token>/", trainer_views.check_in, name="check_in"),
    path("registrations/<int:pk>/photo/", trainer_views.participant_photo, name="photo"),
]

from . import call_views  # noqa: E402

urlpatterns += [
    path("calls/", call_views.call_list, name="calls"),
    path("calls/<int:pk>/", call_views.call_detail, name="call"),
    path("calls/<int:pk>/apply/", call_views.call_apply, name="call_apply"),
    path("applications/", call_views.application_list, name="applications"),
    path("applications/<int:pk>/", call_views.application_detail, name="application"),
    path("applications/<int:pk>/files/<int:question>/", call_views.application_file, name="application_file"),
    path("organise/cohorts/<int:pk>/call/", call_views.call_settings, name="call_settings"),
    path("organise/questions/<int:pk>/", call_views.call_question, name="call_question"),
    path("organise/calls/<int:pk>/applications/", call_views.call_applications, name="call_applications"),
    path(
        "organise/calls/<int:pk>/applications.xlsx",
        call_views.call_applications_export,
        name="call_applications_export",
    ),
]

from . import nomination_views  # noqa: E402

urlpatterns += [
    path("organise/calls/<int:pk>/nominations/", nomination_views.nomination_links, name="nomination_links"),
    path(
        "organise/nomination-links/<int:pk>/resend/",
        nomination_views.nomination_link_resend,
        name="nomination_link_resend",
    ),  # fmt: skip
    path(
        "organise/nomination-links/<int:pk>/withdraw/",
        nomination_views.nomination_link_withdraw,
        name="nomination_link_withdraw",
    ),  # fmt: skip
    path("nominate/<str:token>/", nomination_views.nominate, name="nominate"),
    path(
        "nominate/<str:token>/nominations/<int:pk>/withdraw/",
        nomination_views.nomination_withdraw,
        name="nomination_withdraw",
    ),  # fmt: skip
]

from . import review_views  # noqa: E402

urlpatterns += [
    path("organise/calls/<int:pk>/review/", review_views.call_review, name="call_review"),
    path(
        "organise/calls/<int:pk>/reviewers/<int:user>/remove/",
        review_views.call_reviewer_remove,
        name="call_reviewer_remove",
    ),  # fmt: skip
    path("organise/criteria/<int:pk>/", review_views.criterion_edit, name="criterion"),
    path("organise/calls/<int:pk>/scores/", review_views.call_scores, name="call_scores"),
    path("review/", review_views.review_list, name="reviews"),
    path("review/calls/<int:pk>/", review_views.review_call, name="review_call"),
    path("review/<int:pk>/", review_views.review_detail, name="review"),
    path("review/<int:pk>/conflict/", review_views.review_conflict, name="review_conflict"),
    path("review/<int:pk>/files/<int:question>/", review_views.review_file, name="review_file"),
]

from . import selection_views  # noqa: E402

urlpatterns += [
    path("organise/calls/<int:pk>/shortlist/", selection_views.call_shortlist, name="call_shortlist"),
    path("organise/calls/<int:pk>/shortlist/decide/", selection_views.call_decide, name="call_decide"),
]
