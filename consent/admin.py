"""The clinic admin manages consent versions here, and sees that consent records exist.

What patients wrote (their questions to the care team and their withdrawal reasons) and
what the care team answered stays out of every list, page, search and filter: the admin
manages accounts and the form's wording, not anyone's care.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from consent import selectors, services
from consent.models import (
    Acknowledgement,
    CareTeamQuestion,
    Consent,
    ConsentSection,
    ConsentTranslation,
    ConsentVersion,
    QuestionPassage,
    QuizAttempt,
    SectionChange,
    SectionTranslation,
    Signature,
    Withdrawal,
)
from consent.rendering import section_passages
from consent.selectors import compare_sections

MAX_CHOICES = 4


class ConsentSectionForm(forms.ModelForm):
    """Choices as four plain text boxes, so nobody has to edit JSON."""

    choice_1 = forms.CharField(required=False, max_length=300)
    choice_2 = forms.CharField(required=False, max_length=300)
    choice_3 = forms.CharField(required=False, max_length=300)
    choice_4 = forms.CharField(required=False, max_length=300)

    class Meta:
        model = ConsentSection
        fields = [
            "position",
            "slug",
            "title",
            "body",
            "requires_acknowledgement",
            "question_prompt",
            "correct_choice",
            "question_explanation",
        ]

    question_passage = forms.ChoiceField(
        required=False,
        label="Passage the question tests",
        error_messages={
            "invalid_choice": "That passage is not in the section's text (was it reworded?). "
            "Pick the passage again."
        },
        help_text="A patient who answers wrongly gets a link back to this passage of the text. "
        "After changing the text, save, then pick again.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for number, text in enumerate(self.instance.question_choices or [], start=1):
            if number <= MAX_CHOICES:
                self.initial[f"choice_{number}"] = text
        if self.instance.pk:
            self.initial["question_passage"] = selectors.question_passage_anchor(self.instance)
        # The passages of the text as sent (or as stored): what the patient will read.
        body = self.data.get(self.add_prefix("body")) if self.is_bound else self.instance.body
        self.fields["question_passage"].choices = [("", "None: link to the section's start")] + [
            (passage.anchor, passage.excerpt) for passage in section_passages(body or "")
        ]

    def _post_clean(self):
        super()._post_clean()
        anchor = self.cleaned_data.get("question_passage")
        if anchor:
            try:
                # The section as edited here: its new text and question.
                QuestionPassage(section=self.instance, anchor=anchor).clean()
            except ValidationError as error:
                self.add_error("question_passage", error.messages)

    def save(self, commit=True):
        section = super().save(commit=commit)
        if commit:
            self._save_passage()
        else:
            save_m2m = self.save_m2m

            def save_all():
                save_m2m()
                self._save_passage()

            self.save_m2m = save_all
        return section

    def _save_passage(self):
        if "question_passage" in self.changed_data:
            services.choose_question_passage(
                section=self.instance, anchor=self.cleaned_data.get("question_passage", "")
            )

    def clean(self):
        cleaned = super().clean()
        choices = [
            cleaned.get(f"choice_{n}", "").strip()
            for n in range(1, MAX_CHOICES + 1)
            if cleaned.get(f"choice_{n}", "").strip()
        ]
        self.instance.question_choices = choices
        return cleaned


class EditableUntilPublished:
    """An inline of rows frozen with their parent (a version, a translation): once the
    parent is published, its rows are shown but can no longer be added, changed or
    deleted. The models refuse it too (`consent.models.FrozenOncePublished`)."""

    def _editable(self, obj):
        return obj is None or not obj.is_published

    def has_add_permission(self, request, obj=None):
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj) and super().has_delete_permission(request, obj)


class ConsentSectionInline(EditableUntilPublished, admin.StackedInline):
    model = ConsentSection
    form = ConsentSectionForm
    extra = 0
    fieldsets = [
        (None, {"fields": ["position", "slug", "title", "body", "requires_acknowledgement"]}),
        (
            "Question to check understanding (optional)",
            {
                "fields": [
                    "question_prompt",
                    "choice_1",
                    "choice_2",
                    "choice_3",
                    "choice_4",
                    "correct_choice",
                    "question_explanation",
                    "question_passage",
                ]
            },
        ),
    ]


class SectionChangeInline(EditableUntilPublished, admin.TabularInline):
    """One row per changed section: material (patients read it again) or cosmetic, and why."""

    model = SectionChange
    extra = 0
    fields = ["slug", "kind", "reason"]
    verbose_name = "changed section"
    verbose_name_plural = (
        "How each changed section changed (material: patients read it again and sign again; "
        'cosmetic: wording only, shown once as "What\'s new")'
    )


@admin.register(ConsentVersion)
class ConsentVersionAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "status", "published_at", "preview_link"]
    list_filter = ["status"]
    inlines = [ConsentSectionInline, SectionChangeInline]
    actions = ["draft_next_version", "publish", "draft_spanish_translation"]
    readonly_fields = ["status", "published_at", "based_on", "preview_link", "changes_to_mark"]
    fields = [
        "number",
        "title",
        "introduction",
        "status",
        "published_at",
        "based_on",
        "preview_link",
        "changes_to_mark",
    ]

    @admin.display(description="Changed sections")
    def changes_to_mark(self, obj):
        """Each section new, reworded or removed since the version patients sign now."""
        if not obj.pk:
            return "Save the draft first."
        if obj.is_published:
            marks = obj.section_changes.all()
            if not marks:
                return "No section marks."
            return format_html_join(
                "", "<p>{}: {} ({})</p>", ((m.slug, m.get_kind_display(), m.reason) for m in marks)
            )
        current = ConsentVersion.objects.current()
        if current is None:
            return "The first version: nothing to compare with."
        changes = compare_sections(current.ordered_sections(), obj.ordered_sections())
        if not changes:
            return f"No section changed since version {current.number}."
        marks = {m.slug: m for m in obj.section_changes.all()}
        rows = [
            (
                slug,
                change,
                marks[slug].get_kind_display() if slug in marks else "NOT MARKED YET",
            )
            for slug, change in sorted(changes.items())
        ]
        intro = format_html(
            "<p>Compared with version {}. Mark each below (a new section is material).</p>",
            current.number,
        )
        return intro + format_html_join("", "<p>{} ({}): {}</p>", rows)

    def get_readonly_fields(self, request, obj=None):
        if obj and obj.is_published:
            return [*self.fields]
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return bool(obj is None or not obj.is_published) and super().has_delete_permission(
            request, obj
        )

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # versions patients may have signed stay
        return actions

    @admin.display(description="Preview")
    def preview_link(self, obj):
        first = obj.sections.order_by("position").first() if obj.pk else None
        if first is None:
            return "Add a section to preview"
        url = reverse("consent:preview", args=[obj.public_id, first.position])
        return format_html('<a href="{}">Preview as a patient sees it</a>', url)

    @admin.action(description="Draft a new version from the selected version")
    def draft_next_version(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Select exactly one version to copy.", messages.WARNING)
            return None
        draft = services.draft_next_version(based_on=queryset.get())
        self.message_user(
            request,
            f"Draft version {draft.number} is ready. Edit its sections, preview it, then publish.",
            messages.SUCCESS,
        )
        return redirect("admin:consent_consentversion_change", draft.pk)

    @admin.action(description="Publish the selected draft (it can never change after)")
    def publish(self, request, queryset):
        for version in queryset:
            try:
                services.publish_version(version=version, actor=request.user, request=request)
            except ValidationError as error:
                self.message_user(
                    request,
                    f"Version {version.number} was not published: {' '.join(error.messages)}",
                    messages.ERROR,
                )
            else:
                self.message_user(
                    request,
                    f"Version {version.number} is published. Patients who signed an earlier "
                    "version read its material changes and sign again; wording-only changes "
                    'are shown to them once as "What\'s new".',
                    messages.SUCCESS,
                )

    @admin.action(description="Add a Spanish translation of the selected version")
    def draft_spanish_translation(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Select exactly one version.", messages.WARNING)
            return None
        translation = services.draft_translation(version=queryset.get(), language="es")
        self.message_user(
            request,
            "The Spanish translation is ready to write: replace the English words in each "
            "section, preview, then publish it.",
            messages.SUCCESS,
        )
        return redirect("admin:consent_consenttranslation_change", translation.pk)


# --- Translations: each language is its own published text -------------------------------


class SectionTranslationForm(forms.ModelForm):
    """Choices as four plain text boxes, in the same order as the English question."""

    choice_1 = forms.CharField(required=False, max_length=300)
    choice_2 = forms.CharField(required=False, max_length=300)
    choice_3 = forms.CharField(required=False, max_length=300)
    choice_4 = forms.CharField(required=False, max_length=300)

    class Meta:
        model = SectionTranslation
        fields = ["title", "body", "question_prompt", "question_explanation"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for number, text in enumerate(self.instance.question_choices or [], start=1):
            if number <= MAX_CHOICES:
                self.initial[f"choice_{number}"] = text

    def clean(self):
        cleaned = super().clean()
        self.instance.question_choices = [
            cleaned.get(f"choice_{n}", "").strip()
            for n in range(1, MAX_CHOICES + 1)
            if cleaned.get(f"choice_{n}", "").strip()
        ]
        return cleaned


class SectionTranslationInline(EditableUntilPublished, admin.StackedInline):
    model = SectionTranslation
    form = SectionTranslationForm
    extra = 0
    can_delete = False
    readonly_fields = ["english"]
    fields = [
        "english",
        "title",
        "body",
        "question_prompt",
        "choice_1",
        "choice_2",
        "choice_3",
        "choice_4",
        "question_explanation",
    ]

    @admin.display(description="English")
    def english(self, obj):
        section = obj.section
        return format_html(
            "<strong>{}. {}</strong><br>{}", section.position, section.title, section.body
        )

    def has_add_permission(self, request, obj=None):
        return False  # one row per section, made with the draft


@admin.register(ConsentTranslation)
class ConsentTranslationAdmin(admin.ModelAdmin):
    list_display = ["version", "language", "title", "status", "published_at"]
    list_filter = ["language", "status"]
    list_select_related = ["version"]
    inlines = [SectionTranslationInline]
    actions = ["publish"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["version", "language"]
        return ["version", "language", "title", "introduction", "status", "published_at"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        if obj.is_published:
            return self.get_fields(request, obj)
        return ["version", "language", "status", "published_at"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        # A new translation starts as a draft with a row per section, in English to replace.
        made = services.draft_translation(version=obj.version, language=obj.language)
        obj.pk, obj.title, obj.introduction = made.pk, made.title, made.introduction
        obj._state.adding = False

    def has_delete_permission(self, request, obj=None):
        return bool(obj is None or not obj.is_published) and super().has_delete_permission(
            request, obj
        )

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.action(description="Publish the selected translation (it can never change after)")
    def publish(self, request, queryset):
        for translation in queryset:
            try:
                services.publish_translation(
                    translation=translation, actor=request.user, request=request
                )
            except ValidationError as error:
                self.message_user(
                    request,
                    f"{translation} was not published: {' '.join(error.messages)}",
                    messages.ERROR,
                )
            else:
                self.message_user(
                    request,
                    f"{translation} is published: patients who use this language read and sign it.",
                    messages.SUCCESS,
                )


class ReadOnlyAdmin(admin.ModelAdmin):
    """Consent records are evidence: the admin may look, never add, change or delete."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AcknowledgementInline(ReadOnlyInline):
    model = Acknowledgement
    fields = ["section", "opened_at", "acknowledged_at"]
    readonly_fields = fields


class QuizAttemptInline(ReadOnlyInline):
    model = QuizAttempt
    fields = ["section", "choice", "is_correct", "answered_at"]
    readonly_fields = fields


class SignatureInline(ReadOnlyInline):
    model = Signature
    fields = [
        "typed_name",
        "signed_at",
        "language",
        "identity_confirmed_by",
        "fingerprint",
        "seal_key_id",
        "seal",
        "sealed_when",
        "ip_address",
        "user_agent",
    ]
    readonly_fields = fields


class WithdrawalInline(ReadOnlyInline):
    model = Withdrawal
    # When, never why: the reason is the patient's words to their care team.
    fields = ["withdrawn_at"]
    readonly_fields = fields


@admin.register(Consent)
class ConsentAdmin(ReadOnlyAdmin):
    list_display = ["patient", "version", "started_at", "is_signed", "is_withdrawn"]
    list_select_related = ["patient", "version", "signature", "withdrawal"]
    search_fields = ["patient__email", "patient__last_name"]
    readonly_fields = ["patient", "version", "started_at", "public_id"]
    inlines = [SignatureInline, WithdrawalInline, AcknowledgementInline, QuizAttemptInline]

    @admin.display(boolean=True, description="Signed")
    def is_signed(self, obj):
        return obj.is_signed

    @admin.display(boolean=True, description="Withdrawn")
    def is_withdrawn(self, obj):
        return obj.is_withdrawn


@admin.register(CareTeamQuestion)
class CareTeamQuestionAdmin(ReadOnlyAdmin):
    """Whether questions wait for an answer, never what was asked or answered."""

    list_display = ["consent", "section", "asked_at", "answered_at"]
    list_select_related = ["consent__patient", "consent__version", "section"]
    fields = ["consent", "section", "asked_at", "answered_by", "answered_at"]
    readonly_fields = fields
    exclude = ["text", "answer"]

    def lookup_allowed(self, lookup, value, request=None):
        # ?text__icontains=... would find questions by their words without showing them.
        if lookup.split("__")[0] in self.exclude:
            return False
        return super().lookup_allowed(lookup, value, request)
