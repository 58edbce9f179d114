from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from common.views import keep_alive, moved_to

admin.site.site_header = "KAP companion: clinic admin"
admin.site.site_title = "KAP companion admin"
# The admin logs in through the app's own login: the same limits and the same two-factor.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("admin/", admin.site.urls),
    path("session/keep-alive/", keep_alive, name="keep_alive"),
    # Email addresses are the clinic's to change (the admin, which tells both addresses).
    # Adding one here would let anyone holding an unlocked phone take the account over
    # through a password reset, so allauth's email page is replaced by a read-only one.
    path(
        "accounts/email/",
        TemplateView.as_view(
            template_name="account/email_by_clinic.html", http_method_names=["get", "head"]
        ),
        name="account_email",
    ),
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
    path("measures/", include("measures.urls")),
    path("", include("exports.urls")),
    path("", include("accounts.urls")),
    path("", include("reminders.urls")),
    path("", include("care.urls")),
]
