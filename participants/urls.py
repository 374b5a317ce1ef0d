from django.urls import path

from . import views

app_name = "participants"

urlpatterns = [
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("registrations/", views.registration_list, name="registrations"),
    path("registrations/<int:pk>/", views.registration_detail, name="registration"),
    path("registrations/<int:pk>/cancel/", views.registration_cancel, name="registration_cancel"),
]
