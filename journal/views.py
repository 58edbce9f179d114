"""Journal pages: thin views that load through scoped querysets and call model methods.

Someone else's entry, session or patient is a 404, exactly like a missing one; the wrong
role is a 403 (from the decorators); anonymous visitors are sent to log in.
"""

import uuid

from django.contrib import messages
from django.db import IntegrityError
from django.db.models import Count, Max, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_POST

from accounts import access
from accounts.decorators import patient_required, therapist_required
from accounts.models import User
from common.responses import see_other, wants_fragment
from consent.models import ConsentVersion
from consent.selectors import ConsentStatus
from journal.charts import MoodChart
from journal.dashboard import patients_for_dashboard, urgent_entries_for
from journal.forms import AdministrationSessionForm, ClinicalNoteForm, CommentForm, EntryForm
from journal.models import AdministrationSession, ClinicalNote, Comment, Entry, EntryRead
from journal.timeline import group_by_session, reflection_invitation


def _render(request, template, context, *, partial=None, status=200):
    """The page, or for an htmx request only the named partial of the same template."""
    if partial and wants_fragment(request):
        template = f"{template}#{partial}"
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


# --- The patient's journal -------------------------------------------------------------


def _entries_with_counts(queryset):
    return queryset.annotate(
        comment_count=Count("comments", distinct=True),
        reader_count=Count("reads__reader", distinct=True),
    ).select_related("session")


@patient_required
def timeline(request):
    patient = request.user
    sessions = list(AdministrationSession.objects.visible_to(patient).newest_first())
    entries = list(
        _entries_with_counts(Entry.objects.visible_to(patient).submitted())
        .annotate(
            new_comment_count=Count(
                "comments",
                filter=Q(comments__seen_by_patient_at__isnull=True),
                distinct=True,
            )
        )
        .newest_first()
    )
    drafts = list(
        Entry.objects.visible_to(patient).drafts().select_related("session").order_by("-updated_at")
    )
    return render(
        request,
        "journal/timeline.html",
        {
            "groups": group_by_session(sessions, entries, drafts),
            "drafts": drafts,
            "invitation": reflection_invitation(sessions, entries, drafts),
            "chart": MoodChart.from_entries(entries, sessions),
            "entry_count": len(entries),
        },
    )


def _uuid_or_404(raw):
    try:
        return uuid.UUID(str(raw))
    except ValueError:
        # Our pages only send the ids they were given; anything else was not sent by us.
        raise Http404("No such draft.") from None


def _draft_for(patient, key):
    """The patient's entry with this key, or a new draft that will take the key."""
    entry = Entry.objects.visible_to(patient).filter(public_id=key).first()
    return entry or Entry(patient=patient, public_id=key)


def _store_or_404(store):
    try:
        return store()
    except IntegrityError:
        # The key belongs to someone else's entry: never confirm that it exists.
        raise Http404("No such draft.") from None


def _draft_to_resume(request):
    """The draft the writing page opens: asked for by id, or the latest about this session."""
    patient = request.user
    drafts = Entry.objects.visible_to(patient).drafts().select_related("session")
    if request.GET.get("draft"):
        return get_object_or_404(drafts, public_id=_uuid_or_404(request.GET["draft"]))
    session = None
    if request.GET.get("session"):
        session = get_object_or_404(
            AdministrationSession.objects.visible_to(patient),
            public_id=_uuid_or_404(request.GET["session"]),
        )
    draft = drafts.about(session).order_by("-updated_at").first()
    return draft or Entry(patient=patient, session=session)


def _write_context(form, entry, **extra):
    return {
        "form": form,
        "entry": entry,
        "session": entry.session,
        "draft_key": entry.public_id,
        **extra,
    }


@patient_required
def entry_write(request):
    """Write a new entry, or go on with a draft. Autosave posts here too (intent=autosave)."""
    patient = request.user
    if request.method != "POST":
        entry = _draft_to_resume(request)
        form = EntryForm(instance=entry, patient=patient)
        return render(request, "journal/entry_write.html", _write_context(form, entry))

    key = _uuid_or_404(request.POST.get("draft_key"))
    intent = request.POST.get("intent", "submit")
    entry = _draft_for(patient, key)
    if not entry.is_draft:
        # Submitted already: a double submit, or an autosave that arrived late. One entry.
        if intent == "autosave":
            form = EntryForm(instance=entry, patient=patient)
            return _render(
                request,
                "journal/entry_write.html",
                _write_context(form, entry),
                partial="draft-status",
            )
        return see_other(entry)

    had_crisis_language = entry.has_crisis_language
    form = EntryForm(request.POST, instance=entry, patient=patient, finishing=intent == "submit")
    if intent == "autosave":
        return _autosave(request, form, key, had_crisis_language)
    if not form.is_valid():
        return render(request, "journal/entry_write.html", _write_context(form, entry), status=422)
    if intent == "submit":
        if _store_or_404(entry.submit):
            messages.success(request, "Your entry is saved.")
        return see_other(entry)
    _store_or_404(entry.save_draft)
    messages.success(request, "Your draft is saved. Finish it whenever you like.")
    return see_other(f"{reverse('journal:entry_write')}?draft={entry.public_id}")


def _autosave(request, form, key, had_crisis_language):
    """Keep every word that can be kept, and say what could not be."""
    if form.is_valid():
        entry, status = form.instance, 200
    else:
        # Another part of the form has a problem (say, "discuss" ticked on a private entry):
        # the words are saved on the stored draft all the same.
        entry, status = _draft_for(request.user, key), 422
        for name, value in form.words().items():
            setattr(entry, name, value)
    _store_or_404(entry.save_draft)
    context = _write_context(
        form,
        entry,
        words_kept=status == 422,
        show_crisis_help=entry.has_crisis_language and not had_crisis_language,
    )
    return _render(
        request, "journal/entry_write.html", context, partial="draft-status", status=status
    )


def _own_entry(request, public_id):
    return get_object_or_404(Entry.objects.visible_to(request.user), public_id=public_id)


@patient_required
def entry_detail(request, public_id):
    entry = _own_entry(request, public_id)
    if entry.is_draft:
        return see_other(f"{reverse('journal:entry_write')}?draft={entry.public_id}")
    comments = list(
        Comment.objects.visible_to(request.user).filter(entry=entry).select_related("author")
    )
    new_comment_ids = {c.pk for c in comments if c.seen_by_patient_at is None}
    if new_comment_ids:
        Comment.objects.visible_to(request.user).filter(pk__in=new_comment_ids).update(
            seen_by_patient_at=timezone.now()
        )
    readers = (
        EntryRead.objects.visible_to(request.user)
        .filter(entry=entry)
        .values("reader__first_name", "reader__last_name")
        .annotate(last_read_at=Max("read_at"), times=Count("pk"))
        .order_by("-last_read_at")
    )
    return render(
        request,
        "journal/entry_detail.html",
        {
            "entry": entry,
            "comments": comments,
            "new_comment_ids": new_comment_ids,
            "readers": readers,
        },
    )


@patient_required
def entry_edit(request, public_id):
    entry = _own_entry(request, public_id)
    if entry.is_draft:
        return see_other(f"{reverse('journal:entry_write')}?draft={entry.public_id}")
    form = EntryForm(request.POST or None, instance=entry, patient=request.user, finishing=True)
    if request.method == "POST" and form.is_valid():
        if form.has_changed():
            entry.save_edit()
            messages.success(request, "Your changes are saved.")
        return see_other(entry)
    status = 422 if request.method == "POST" else 200
    return render(request, "journal/entry_edit.html", {"form": form, "entry": entry}, status=status)


@patient_required
@require_POST
def entry_share(request, public_id):
    entry = _own_entry(request, public_id)
    if not entry.is_draft and not entry.is_shared:
        entry.share()
        messages.success(request, "Your care team can now read this entry.")
    return see_other(entry)


@patient_required
@require_POST
def entry_discard(request, public_id):
    entry = _own_entry(request, public_id)
    if entry.is_draft:
        entry.delete()
        messages.success(request, "The draft is deleted.")
        return see_other("journal:timeline")
    return see_other(entry)


# --- The therapist's review ------------------------------------------------------------


@therapist_required
def dashboard(request):
    return render(
        request,
        "journal/dashboard.html",
        {
            "patients": ConsentStatus.attach(patients_for_dashboard(request.user)),
            "urgent_entries": urgent_entries_for(request.user),
        },
    )


def _patient_in_care(request, public_id):
    # 404, not 403, for a patient outside this therapist's care: never confirm they exist.
    return get_object_or_404(User.objects.visible_to(request.user).patients(), public_id=public_id)


@therapist_required
def patient_journal(request, public_id):
    patient = _patient_in_care(request, public_id)
    sessions = list(
        AdministrationSession.objects.visible_to(request.user).of(patient).newest_first()
    )
    entries = list(
        _entries_with_counts(Entry.objects.visible_to(request.user).filter(patient=patient))
        .annotate(note_count=Count("clinical_notes", distinct=True))
        .newest_first()
    )
    return render(
        request,
        "journal/patient_journal.html",
        {
            "patient": patient,
            "groups": group_by_session(sessions, entries),
            "chart": MoodChart.from_entries(entries, sessions),
            "entry_count": len(entries),
            "agenda_count": sum(1 for e in entries if e.is_on_agenda),
        },
    )


@therapist_required
def session_new(request, public_id):
    patient = _patient_in_care(request, public_id)
    session = AdministrationSession(patient=patient, recorded_by=request.user)
    form = AdministrationSessionForm(request.POST or None, instance=session)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(
            request, f"The session is recorded. {patient.first_name} can now reflect on it."
        )
        return see_other("journal:patient_journal", public_id=patient.public_id)
    status = 422 if request.method == "POST" else 200
    # A session is given under a signed, current consent: remind the therapist if it is not.
    consent_status = ConsentStatus(patient, ConsentVersion.objects.current())
    return render(
        request,
        "journal/session_form.html",
        {"form": form, "patient": patient, "consent_status": consent_status},
        status=status,
    )


def _shared_entry(request, public_id):
    entry = get_object_or_404(
        Entry.objects.visible_to(request.user).select_related("patient", "session", "reviewed_by"),
        public_id=public_id,
    )
    if not access.can_review_entry(request.user, entry):
        raise Http404("No such entry.")
    return entry


def _review_context(request, entry, **forms):
    viewer = request.user
    return {
        "entry": entry,
        "patient": entry.patient,
        "comments": Comment.objects.visible_to(viewer).filter(entry=entry).select_related("author"),
        "notes": ClinicalNote.objects.visible_to(viewer)
        .filter(entry=entry)
        .select_related("author"),
        "reads": EntryRead.objects.visible_to(viewer)
        .filter(entry=entry)
        .select_related("reader")[:10],
        "comment_form": forms.get("comment_form") or CommentForm(),
        "note_form": forms.get("note_form") or ClinicalNoteForm(),
    }


@therapist_required
def entry_review(request, public_id):
    entry = _shared_entry(request, public_id)
    # Every opening is recorded, and the patient sees who read their entry and when.
    entry.record_read(by=request.user)
    return render(request, "journal/entry_review.html", _review_context(request, entry))


@therapist_required
@require_POST
def entry_mark_reviewed(request, public_id):
    entry = _shared_entry(request, public_id)
    entry.mark_reviewed(by=request.user)
    if wants_fragment(request):
        return _render(
            request, "journal/entry_review.html", {"entry": entry}, partial="review-status"
        )
    messages.success(request, "Marked as reviewed.")
    return see_other("journal:entry_review", public_id=entry.public_id)


@therapist_required
@require_POST
def entry_comment(request, public_id):
    entry = _shared_entry(request, public_id)
    form = CommentForm(request.POST, instance=Comment(entry=entry, author=request.user))
    if form.is_valid():
        form.save()
        if not wants_fragment(request):
            messages.success(request, f"Comment sent. {entry.patient.first_name} will see it.")
            return see_other("journal:entry_review", public_id=entry.public_id)
        form = None
    return _render(
        request,
        "journal/entry_review.html",
        _review_context(request, entry, comment_form=form),
        partial="comments",
        status=422 if form is not None else 200,
    )


@therapist_required
@require_POST
def entry_note(request, public_id):
    entry = _shared_entry(request, public_id)
    form = ClinicalNoteForm(request.POST, instance=ClinicalNote(entry=entry, author=request.user))
    if form.is_valid():
        form.save()
        if not wants_fragment(request):
            messages.success(request, "Clinical note saved. Only the care team sees it.")
            return see_other("journal:entry_review", public_id=entry.public_id)
        form = None
    return _render(
        request,
        "journal/entry_review.html",
        _review_context(request, entry, note_form=form),
        partial="clinical-notes",
        status=422 if form is not None else 200,
    )


def _agenda_entries(request, patient):
    return (
        Entry.objects.visible_to(request.user)
        .filter(patient=patient)
        .for_discussion()
        .select_related("session")
        .prefetch_related(
            Prefetch(
                "comments",
                queryset=Comment.objects.visible_to(request.user).select_related("author"),
            )
        )
        .order_by("submitted_at")
    )


@therapist_required
def agenda(request, public_id):
    patient = _patient_in_care(request, public_id)
    entries = list(_agenda_entries(request, patient))
    # The agenda shows every entry in full: each counts as opened, and the patient sees it.
    EntryRead.objects.record(entries=entries, reader=request.user)
    last_session = (
        AdministrationSession.objects.visible_to(request.user)
        .of(patient)
        .past()
        .newest_first()
        .first()
    )
    return render(
        request,
        "journal/agenda.html",
        {
            "patient": patient,
            "entries": entries,
            "last_session": last_session,
            "today": timezone.now(),
        },
    )


@therapist_required
@require_POST
def agenda_discussed(request, public_id):
    patient = _patient_in_care(request, public_id)
    # Only the entries that were on the page: one shared a minute ago stays on the agenda.
    chosen = [_uuid_or_404(value) for value in request.POST.getlist("entry")]
    entries = _agenda_entries(request, patient).filter(public_id__in=chosen)
    for entry in entries:
        entry.mark_discussed()
    messages.success(request, "The agenda is cleared for the next session.")
    return see_other("journal:agenda", public_id=patient.public_id)
