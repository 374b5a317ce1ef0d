from django.urls import path

from . import organiser_views, views

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
    path("organise/surveys/<int:pk>/remind/", organiser_views.survey_remind, name="survey_remind"),
    path("organise/surveys/<int:pk>/results/", organiser_views.survey_results, name="survey_results"),
    path("organise/surveys/<int:pk>/responses.xlsx", organiser_views.survey_export, name="survey_export"),
]
