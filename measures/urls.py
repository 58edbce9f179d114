from django.urls import path

from measures import views

app_name = "measures"

urlpatterns = [
    # The patient
    path("", views.my_measures, name="mine"),
    path("start/<uuid:public_id>/", views.intro, name="intro"),
    path("answers/<uuid:public_id>/", views.response_detail, name="response"),
    path("answers/<uuid:public_id>/questions/<int:position>/", views.question, name="question"),
    path("answers/<uuid:public_id>/review/", views.review, name="review"),
    path("answers/<uuid:public_id>/submit/", views.submit, name="submit"),
    # The therapist
    path("patients/<uuid:public_id>/", views.patient_measures, name="patient"),
    path(
        "patients/<uuid:public_id>/schedules/<uuid:measure_id>/",
        views.schedule_set,
        name="schedule_set",
    ),
    path("alerts/<uuid:public_id>/acknowledge/", views.alert_acknowledge, name="alert_acknowledge"),
]
