from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from common.views import moved_to

admin.site.site_header = "KAP companion: clinic admin"
admin.site.site_title = "KAP companion admin"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", include("config.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api-schema", template_name="api/swagger_ui.html"
        ),
        name="api-docs",
    ),
    # Addresses from before the care app gathered the therapist's pages; old bookmarks
    # and open tabs keep working.
    path("journal/dashboard/", moved_to("care:roster")),
    path("journal/patients/<uuid:public_id>/", moved_to("care:patient", anchor="#journal")),
    path("journal/patients/<uuid:public_id>/sessions/new/", moved_to("care:session_new")),
    path("consent/patients/<uuid:public_id>/", moved_to("care:patient", anchor="#consent")),
    path(
        "consent/questions/<uuid:public_id>/answer/",
        moved_to("care:answer_consent_question"),
    ),
    path("journal/", include("journal.urls")),
    path("consent/", include("consent.urls")),
    path("", include("accounts.urls")),
    path("", include("care.urls")),
]
