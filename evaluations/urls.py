from django.urls import path

from . import alumni_views, network_views, organiser_views, relay_views, views

app_name = "evaluations"

urlpatterns = [
    path("questionnaires/", views.my_questionnaires, name="mine"),
    path("questionnaires/thanks/", views.thanks, name="thanks"),
    path("questionnaires/open/<str:token>/", views.respond_open, name="respond_open"),
    path("questionnaires/room/<str:token>/", views.room, name="room"),
    path("questionnaires/<str:token>/", views.respond, name="respond"),
    path("organise/cohorts/<int:pk>/evaluation/", organiser_views.cohort_evaluation, name="cohort"),
    path("organise/cohorts/<int:pk>/evaluation/report.pdf", organiser_views.cohort_report, name="cohort_report"),
    path("trainer/surveys/<int:pk>/debrief.pdf", organiser_views.daily_debrief, name="debrief"),
    path("trainer/cohorts/<int:pk>/evaluation-code/", organiser_views.room_code, name="room_code"),
    path("organise/surveys/<int:pk>/", organiser_views.survey_detail, name="survey"),
    path("organise/programmes/<int:pk>/evaluation/", organiser_views.programme_trend, name="programme"),
    path("organise/surveys/<int:pk>/timing/", organiser_views.survey_timing, name="survey_timing"),
    path("organise/surveys/<int:pk>/remind/", organiser_views.survey_remind, name="survey_remind"),
    path("organise/surveys/<int:pk>/results/", organiser_views.survey_results, name="survey_results"),
    path("organise/surveys/<int:pk>/responses.xlsx", organiser_views.survey_export, name="survey_export"),
    # The alumni network: alumni's own pages
    path("alumni/", alumni_views.directory, name="directory"),
    path("alumni/people.json", alumni_views.directory_json, name="directory_json"),
    path("alumni/people/<int:user_id>/", alumni_views.alumnus, name="alumnus"),
    path("alumni/what-i-share/", alumni_views.listing, name="listing"),
    path("alumni/collaborations/", alumni_views.collaborations, name="collaborations"),
    path("alumni/collaborations/<int:pk>/delete/", alumni_views.collaboration_delete, name="collaboration_delete"),
    # Messages relayed between alumni
    path("alumni/people/<int:user_id>/message/", relay_views.message_send, name="message_send"),
    path("alumni/messages/", relay_views.message_list, name="messages"),
    path("alumni/messages/<int:pk>/reply/", relay_views.message_reply, name="message_reply"),
    path("alumni/messages/<int:pk>/block/", relay_views.message_block, name="message_block"),
    path("alumni/blocked/<int:pk>/unblock/", relay_views.unblock, name="unblock"),
    # The network: figures, map, export
    path("alumni/network/", network_views.my_network, name="my_network"),
    path("organise/network/", network_views.network_index, name="network"),
    path("organise/cohorts/<int:pk>/network/", network_views.cohort_network, name="cohort_network"),
    path("organise/cohorts/<int:pk>/network.xlsx", network_views.cohort_network_export, name="cohort_network_export"),
    path("organise/programmes/<int:pk>/network/", network_views.programme_network, name="programme_network"),
    path("organise/programmes/<int:pk>/network.xlsx", network_views.programme_network_export,
         name="programme_network_export"),
    path("organise/countries/<str:country>/network/", network_views.country_network, name="country_network"),
    path("organise/countries/<str:country>/network.xlsx", network_views.country_network_export,
         name="country_network_export"),
]  # fmt: skip
