from django.urls import path

from journal import views

app_name = "journal"

urlpatterns = [
    # The patient's journal
    path("", views.timeline, name="timeline"),
    path("write/", views.entry_write, name="entry_write"),
    path("entries/<uuid:public_id>/", views.entry_detail, name="entry_detail"),
    path("entries/<uuid:public_id>/edit/", views.entry_edit, name="entry_edit"),
    path("entries/<uuid:public_id>/share/", views.entry_share, name="entry_share"),
    path("entries/<uuid:public_id>/discard/", views.entry_discard, name="entry_discard"),
    path("entries/<uuid:public_id>/versions/", views.entry_versions, name="entry_versions"),
    path("entries/<uuid:public_id>/reply/", views.entry_reply, name="entry_reply"),
    path("who-looked/", views.looks, name="looks"),
    path("intention/", views.intention_write, name="intention_write"),
    # The therapist's review
    path("patients/<uuid:public_id>/agenda/", views.agenda, name="agenda"),
    path(
        "patients/<uuid:public_id>/agenda/discussed/",
        views.agenda_discussed,
        name="agenda_discussed",
    ),
    path("review/<uuid:public_id>/", views.entry_review, name="entry_review"),
    path(
        "review/<uuid:public_id>/reviewed/", views.entry_mark_reviewed, name="entry_mark_reviewed"
    ),
    path("review/<uuid:public_id>/comments/", views.entry_comment, name="entry_comment"),
    path("review/<uuid:public_id>/notes/", views.entry_note, name="entry_note"),
]
