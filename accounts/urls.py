from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.home, name="home"),
    path("home/", views.patient_home, name="patient_home"),
    path("patients/", views.patient_list, name="patient_list"),
    path("patients/add/", views.patient_add, name="patient_add"),
    path("patients/<uuid:public_id>/", views.patient_detail, name="patient_detail"),
    path(
        "patients/<uuid:public_id>/invitation/",
        views.patient_invitation_resend,
        name="patient_invitation_resend",
    ),
    path("welcome/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
