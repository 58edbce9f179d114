from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "KAP companion: clinic admin"
admin.site.site_title = "KAP companion admin"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("consent/", include("consent.urls")),
    path("", include("accounts.urls")),
]
