from django.urls import path

from consent import views

app_name = "consent"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("start/", views.start, name="start"),
    path("step/<int:position>/", views.step, name="step"),
    path("step/<int:position>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("step/<int:position>/answer/", views.answer, name="answer"),
    path("step/<int:position>/ask/", views.ask, name="ask"),
    path("review/", views.review, name="review"),
    path("sign/", views.sign, name="sign"),
    path("withdraw/", views.withdraw, name="withdraw"),
    path("whats-new/", views.whats_new, name="whats_new"),
    path("signed/<uuid:public_id>/", views.signed, name="signed"),
    path("records/<uuid:public_id>/copy/", views.copy, name="copy"),
    path("records/<uuid:public_id>/copy.pdf", views.copy_pdf, name="copy_pdf"),
    path("preview/<uuid:public_id>/<int:position>/", views.preview, name="preview"),
]
