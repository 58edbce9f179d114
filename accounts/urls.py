from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("welcome/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
