from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("welcome/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("language/", views.choose_language, name="language"),
    path("account/devices/", views.devices, name="devices"),
    path(
        "account/devices/<uuid:public_id>/revoke/",
        views.device_revoke,
        name="device_revoke",
    ),
]
