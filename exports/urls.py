from django.urls import path

from exports import views

app_name = "exports"

urlpatterns = [
    path("my-copy/", views.my_copy, name="my_copy"),
    path("my-copy/download/", views.download, name="download"),
    path("patients/<uuid:public_id>/fhir/", views.patient_fhir, name="patient_fhir"),
]
