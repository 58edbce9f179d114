from django.urls import path

from reminders import views

app_name = "reminders"

urlpatterns = [
    path("account/reminders/", views.settings_page, name="settings"),
    path("unsubscribe/<str:token>/", views.unsubscribe_page, name="unsubscribe"),
]
