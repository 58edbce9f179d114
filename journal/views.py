"""Journal pages: thin views that check the form, then call `journal.services`.

Reads go through `journal.selectors`. Someone else's entry, session or patient is a 404,
exactly like a missing one; the wrong role is a 403 (from the decorators); anonymous
visitors are sent to log in.
"""

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import access
from accounts.decorators import patient_required, therapist_required
from accounts.selectors import patient_or_404
from common.keyset import older_page_url
from common.responses import see_other, wants_fragment
from journal import selectors, services
from journal.forms import ClinicalNoteForm, CommentForm, EntryForm, IntentionForm, ReplyForm


def _render(request, template, context, *, partial=None, status=200):
    """The page, or for an htmx request only the named partial of the same template."""
    if partial and wants_fragment(request):
        template = f"{template}#{partial}"
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


# --- The patient's journal -------------------------------------------------------------


@patient_required
def timeline(request):
    cursor = request.GET.get("before")
    # "Older entries" through htmx: only the next page, which replaces the link; the chart
    # and the invitation above it are not read again.
    is_older_page = wants_fragment(request) and "before" in request.GET
    if is_older_page:
        journal = selectors.journal_page(request.user, cursor=cursor)
    else:
        journal = selectors.timeline(request.user, cursor=cursor, window=request.GET.get("chart"))
    context = {
        "groups": journal.groups,
        "page": journal.page,
        "older_url": older_page_url(request, journal.page),
        "drafts": journal.drafts,
    }
    if not is_older_page:
        context.update(invitation=journal.invitation, chart=journal.chart)
    template = "journal/includes/journal_page.html" if is_older_page else "journal/timeline.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _write_context(form, entry, **extra):
    return {
        "form": form,
        "entry": entry,
        "session": entry.session,
        "draft_key": entry.public_id,
        # What the patient wanted to bring into the session, beside the prompts about it.
        "intention_before": selectors.intention_before(entry.patient, entry.session),
        **extra,
    }


def _key_from(params, name):
    """The UUID under this name in the query string, if one was given."""
    return selectors.parse_key_or_404(params[name]) if params.get(name) else None


def _write_url(entry):
    return f"{reverse('journal:entry_write')}?draft={entry.public_id}"


@patient_required
def entry_write(request):
    """Write a new entry, or go on with a draft. Autosave posts here too (intent=autosave)."""
    patient = request.user
    if request.method != "POST":
        entry = selectors.draft_to_resume(
            patient,
            draft_key=_key_from(request.GET, "draft"),
            session_key=_key_from(request.GET, "session"),
        )
        form = EntryForm(instance=entry, patient=patient)
        return render(request, "journal/entry_write.html", _write_context(form, entry))

    key = selectors.parse_key_or_404(request.POST.get("draft_key"))
    intent = request.POST.get("intent", "submit")
    entry = selectors.draft_for(patient, key)
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
    form = EntryForm(request.POST, instance=entry, patient=patient)
    if intent == "autosave":
        return _autosave(request, form, key, had_crisis_language)
    if form.is_valid():
        store = services.submit_entry if intent == "submit" else services.save_draft
        try:
            entry = store(patient=patient, draft_key=key, fields=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if intent == "submit":
                messages.success(request, _("Your entry is saved."))
                return see_other(entry)
            messages.success(request, _("Your draft is saved. Finish it whenever you like."))
            return see_other(_write_url(entry))
    return render(request, "journal/entry_write.html", _write_context(form, entry), status=422)


def _autosave(request, form, key, had_crisis_language):
    """Keep every word that can be kept, and say what could not be."""
    if form.is_valid():
        fields, status = form.cleaned_data, 200
    else:
        # Another part of the form has a problem (say, "discuss" ticked on a private entry):
        # the words are saved on the stored draft all the same.
        fields, status = form.words(), 422
    try:
        entry = services.save_draft(patient=request.user, draft_key=key, fields=fields)
        stored = True
    except ValidationError as error:
        # The draft was discarded (in another tab, say): nothing is stored, and the words
        # stay on the screen with the reason beside them.
        form.add_error(None, error)
        entry, status, stored = form.instance, 422, False
    context = _write_context(
        form,
        entry,
        words_kept=status == 422 and stored,
        show_crisis_help=entry.has_crisis_language and not had_crisis_language,
    )
    return _render(
        request, "journal/entry_write.html", context, partial="draft-status", status=status
    )


@patient_required
def entry_detail(request, public_id):
    entry = selectors.entry_or_404(request.user, public_id)
    if entry.is_draft:
        return see_other(_write_url(entry))
    # Marked seen before the page is drawn; the page still shows which ones were new.
    new_comment_ids = services.mark_comments_seen(patient=request.user, entry=entry)
    return _render_entry(request, entry, new_comment_ids=new_comment_ids)


def _render_entry(request, entry, *, new_comment_ids=(), reply_form=None, status=200):
    thread = list(selectors.thread(request.user, entry))
    has_care_team_words = any(not message.is_from_patient for message in thread)
    return _render(
        request,
        "journal/entry_detail.html",
        {
            "entry": entry,
            "comments": thread,
            "new_comment_ids": new_comment_ids,
            "readers": selectors.readers(request.user, entry),
            # The patient answers once their care team has written (access.can_reply_on_entry).
            "can_reply": has_care_team_words,
            "reply_form": reply_form or ReplyForm(),
            "intention_before": selectors.intention_before(request.user, entry.session),
        },
        partial="thread",
        status=status,
    )


@patient_required
@require_POST
def entry_reply(request, public_id):
    """The patient answers their care team in the thread under their entry."""
    entry = selectors.entry_or_404(request.user, public_id)
    if not access.can_reply_on_entry(request.user, entry):
        # Their own entry, but nobody has written on it: nothing to answer yet.
        messages.info(request, services.NO_COMMENT_TO_ANSWER)
        return see_other(entry)
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            services.reply_on_entry(
                entry=entry, author=request.user, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            form.add_error("body", error)
        else:
            if not wants_fragment(request):
                messages.success(request, _("Your reply is sent. Your care team will see it."))
                return see_other(f"{entry.get_absolute_url()}#thread")
            return _render_entry(request, entry)
    return _render_entry(request, entry, reply_form=form, status=422)


@patient_required
def intention_write(request):
    """Write or change the intention for the next session (saved, never lost on a refusal)."""
    patient = request.user
    pending = selectors.pending_intention(patient, patient)
    if request.method != "POST":
        initial = (
            {"key": pending.public_id, "body": pending.body, "is_shared": pending.is_shared}
            if pending
            else {"key": uuid.uuid4(), "is_shared": True}
        )
        return _intention_page(request, IntentionForm(initial=initial), pending)
    form = IntentionForm(request.POST)
    if form.is_valid():
        try:
            services.save_intention(
                patient=patient,
                body=form.cleaned_data["body"],
                is_shared=form.cleaned_data["is_shared"],
                key=form.cleaned_data["key"],
            )
        except ValidationError as error:
            form.add_error("body", error)
            if error.code == "attached":
                # The words stay on the screen; the next save begins a new intention.
                form.data = form.data.copy()
                form.data["key"] = str(uuid.uuid4())
        else:
            messages.success(
                request, _("Your intention is saved. You can change it until your session.")
            )
            return see_other("journal:intention_write")
    return _intention_page(request, form, pending, status=422)


def _intention_page(request, form, pending, status=200):
    return render(
        request,
        "journal/intention_write.html",
        {
            "form": form,
            "intention": pending,
            "earlier": list(selectors.intentions(request.user).attached()[:5]),
        },
        status=status,
    )


@patient_required
def entry_versions(request, public_id):
    """What the patient's entry said before each edit: for the patient's eyes only."""
    entry = selectors.entry_or_404(request.user, public_id)
    if entry.is_draft:
        return see_other(_write_url(entry))
    return render(
        request,
        "journal/entry_versions.html",
        {"entry": entry, "revisions": list(selectors.revisions(request.user, entry))},
    )


@patient_required
def looks(request):
    """Who on the care team saw the patient's words, and where: one entry, a list, the agenda."""
    return render(
        request,
        "journal/looks.html",
        {"looks": selectors.looks_at_my_words(request.user, page=request.GET.get("page"))},
    )


@patient_required
def entry_edit(request, public_id):
    entry = selectors.entry_or_404(request.user, public_id)
    if entry.is_draft:
        return see_other(_write_url(entry))
    form = EntryForm(request.POST or None, instance=entry, patient=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            edited = services.edit_entry(entry=entry, fields=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            # Sending back the same values is not an edit: nothing to confirm then.
            if edited.edited_at != entry.edited_at:
                messages.success(request, _("Your changes are saved."))
            return see_other(edited)
    status = 422 if request.method == "POST" else 200
    return render(request, "journal/entry_edit.html", {"form": form, "entry": entry}, status=status)


@patient_required
@require_POST
def entry_share(request, public_id):
    entry = selectors.entry_or_404(request.user, public_id)
    if not entry.is_draft and not entry.is_shared:
        services.share_entry(entry=entry)
        messages.success(request, _("Your care team can now read this entry."))
    return see_other(entry)


@patient_required
@require_POST
def entry_discard(request, public_id):
    entry = selectors.entry_or_404(request.user, public_id)
    if entry.is_draft:
        services.discard_draft(entry=entry)
        messages.success(
            request, _("The draft is discarded. It no longer appears in your journal.")
        )
        return see_other("journal:timeline")
    return see_other(entry)


# --- The therapist's review ------------------------------------------------------------


def _review_context(request, entry, new_reply_ids=(), **forms):
    review = selectors.review(request.user, entry)
    return {
        "new_reply_ids": new_reply_ids,
        "intention_before": selectors.intention_before(request.user, entry.session),
        "entry": entry,
        "patient": entry.patient,
        "comments": review.comments,
        "notes": review.notes,
        "reads": review.reads,
        "comment_form": forms.get("comment_form") or CommentForm(),
        "note_form": forms.get("note_form") or ClinicalNoteForm(),
    }


def _render_review(request, entry, *, partial, status=200, **forms):
    """The review page again (a refused comment or note), or only its fragment for htmx."""
    if not wants_fragment(request):
        # The whole page shows the patient's words again: that is an opening too.
        services.open_entry_for_review(entry=entry, reader=request.user, request=request)
    return _render(
        request,
        "journal/entry_review.html",
        _review_context(request, entry, **forms),
        partial=partial,
        status=status,
    )


@therapist_required
def entry_review(request, public_id):
    entry = selectors.reviewable_entry_or_404(request.user, public_id)
    # Every opening is recorded, and the patient sees who read their entry and when.
    services.open_entry_for_review(entry=entry, reader=request.user, request=request)
    # Opening the entry reads the patient's replies; the page still marks which were new.
    new_reply_ids = services.mark_replies_read(entry=entry, reader=request.user)
    return render(
        request,
        "journal/entry_review.html",
        _review_context(request, entry, new_reply_ids=new_reply_ids),
    )


@therapist_required
@require_POST
def entry_mark_reviewed(request, public_id):
    entry = selectors.reviewable_entry_or_404(request.user, public_id)
    services.mark_reviewed(entry=entry, by=request.user)
    if wants_fragment(request):
        return _render(
            request, "journal/entry_review.html", {"entry": entry}, partial="review-status"
        )
    messages.success(request, _("Marked as reviewed."))
    return see_other("journal:entry_review", public_id=entry.public_id)


@therapist_required
@require_POST
def entry_comment(request, public_id):
    entry = selectors.reviewable_entry_or_404(request.user, public_id)
    form = CommentForm(request.POST)
    if form.is_valid():
        services.comment_on_entry(entry=entry, author=request.user, body=form.cleaned_data["body"])
        if not wants_fragment(request):
            messages.success(
                request,
                _("Comment sent. %(name)s will see it.") % {"name": entry.patient.first_name},
            )
            return see_other("journal:entry_review", public_id=entry.public_id)
        form = None
    return _render_review(
        request,
        entry,
        comment_form=form,
        partial="comments",
        status=422 if form is not None else 200,
    )


@therapist_required
@require_POST
def entry_note(request, public_id):
    entry = selectors.reviewable_entry_or_404(request.user, public_id)
    form = ClinicalNoteForm(request.POST)
    if form.is_valid():
        services.add_clinical_note(entry=entry, author=request.user, body=form.cleaned_data["body"])
        if not wants_fragment(request):
            messages.success(request, _("Clinical note saved. Only the care team sees it."))
            return see_other("journal:entry_review", public_id=entry.public_id)
        form = None
    return _render_review(
        request,
        entry,
        note_form=form,
        partial="clinical-notes",
        status=422 if form is not None else 200,
    )


@therapist_required
def agenda(request, public_id):
    patient = patient_or_404(request.user, public_id)
    entries = list(selectors.agenda(request.user, patient))
    loop = selectors.integration_loop(request.user, patient)
    intentions, reflections = loop.words_shown
    # The agenda shows every entry in full: each counts as opened, and the patient sees it.
    services.open_agenda(
        viewer=request.user,
        patient=patient,
        entries=_unique([*entries, *reflections]),
        intentions=intentions,
        request=request,
    )
    return render(
        request,
        "journal/agenda.html",
        {
            "patient": patient,
            "entries": entries,
            "loop": loop,
            # A reflection also marked for discussion is shown once, in the list below.
            "discussed_ids": {entry.pk for entry in entries},
            "last_session": selectors.last_session(request.user, patient),
            "today": timezone.now(),
        },
    )


def _unique(entries):
    return list({entry.pk: entry for entry in entries}.values())


@therapist_required
@require_POST
def agenda_discussed(request, public_id):
    patient = patient_or_404(request.user, public_id)
    # Only the entries that were on the page: one shared a minute ago stays on the agenda.
    chosen = [selectors.parse_key_or_404(value) for value in request.POST.getlist("entry")]
    services.mark_discussed(viewer=request.user, patient=patient, entry_ids=chosen)
    messages.success(request, _("The agenda is cleared for the next session."))
    return see_other("journal:agenda", public_id=patient.public_id)
