from django.urls import path

from care import views

app_name = "care"

urlpatterns = [
    path("", views.home, name="home"),
    path("home/", views.patient_home, name="patient_home"),
    path("patients/", views.roster, name="roster"),
    path("patients/add/", views.patient_add, name="patient_add"),
    path("patients/<uuid:public_id>/", views.patient_detail, name="patient"),
    path(
        "patients/<uuid:public_id>/invitation/",
        views.invitation_resend,
        name="invitation_resend",
    ),
    path("patients/<uuid:public_id>/sessions/new/", views.session_new, name="session_new"),
    path(
        "patients/questions/<uuid:public_id>/answer/",
        views.answer_consent_question,
        name="answer_consent_question",
    ),
]
