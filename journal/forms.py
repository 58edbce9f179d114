"""Forms for writing, reviewing and recording: they clean input and explain kindly.

Shape only: rules live on the models (`Entry.clean`, constraints) and in
`journal.services` (say, "nothing to save yet"); the views hand `cleaned_data` to a service.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts import access
from accounts.forms import PlainLabelsMixin
from common.templatetags.clinic_time import friendly_date
from journal.models import (
    COMMENT_MAX_CHARS,
    ENTRY_MAX_CHARS,
    GUIDED_PROMPTS,
    INTENTION_MAX_CHARS,
    REPLY_MAX_CHARS,
    SCALE_MAX,
    SCALE_MIN,
    TEXT_FIELDS,
    AdministrationSession,
    ClinicalNote,
    Comment,
    Entry,
    Experience,
    Route,
)

SCALE_CHOICES = [("", "Skip")] + [(n, str(n)) for n in range(SCALE_MIN, SCALE_MAX + 1)]
TOO_LONG = (
    "This is longer than we can keep in one place: %(limit_value)s characters at most "
    "(it has %(show_value)s). Could you move part of it to another box or a new entry?"
)


def _scale_field(label, help_text):
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=SCALE_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect(attrs={"class": "scale"}),
        error_messages={"invalid_choice": "Choose a number from 0 to 10, or Skip."},
    )


class SessionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, session):
        return f"Session on {friendly_date(session.occurred_at)}"


class EntryForm(PlainLabelsMixin, forms.ModelForm):
    """A journal entry, whether the page is saving a draft or the patient is finishing it.

    `cleaned_data` holds typed values (a session, ints or None, experience codes, bools),
    ready for `journal.services.save_draft`, `submit_entry` or `edit_entry`.
    """

    session = SessionChoiceField(
        label="Is this about a session?",
        queryset=AdministrationSession.objects.none(),
        required=False,
        empty_label="No, it stands on its own",
        to_field_name="public_id",
    )
    mood = _scale_field("Mood", "0 is the lowest you have felt, 10 the best.")
    anxiety = _scale_field("Anxiety", "0 is completely calm, 10 the most anxious you have felt.")
    experiences = forms.MultipleChoiceField(
        label="Did you notice any of these?",
        choices=Experience.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="During or after the session. Tick any that fit, or none.",
        error_messages={"invalid_choice": "Choose from the experiences listed."},
    )
    is_shared = forms.TypedChoiceField(
        label="Who can read this entry?",
        choices=[("False", "Only me (private)"), ("True", "Me and my care team (shared)")],
        # The posted "True" and the stored True both mean shared.
        coerce=lambda value: value in (True, "True"),
        empty_value=False,
        required=False,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Entry
        fields = [
            "session",
            "mood",
            "anxiety",
            "body",
            "stood_out",
            "emotions",
            "body_sensations",
            "insights",
            "intention",
            "experiences",
            "experiences_other",
            "is_shared",
            "is_for_discussion",
        ]
        labels = {
            "body": "Your reflection",
            "stood_out": "What stood out for you?",
            "emotions": "What emotions came up?",
            "body_sensations": "What did you notice in your body?",
            "insights": "Any insights or new ways of seeing something?",
            "intention": "An intention you would like to bring to therapy",
            "experiences_other": "Something else you noticed",
            "is_for_discussion": "Bring this to my next integration session",
        }
        help_texts = {
            "body": (
                f"Write as much as you like, up to {ENTRY_MAX_CHARS:,} "
                "characters (about eight pages). It saves itself as you type."
            ),
            "is_for_discussion": (
                "Your therapist adds it to the agenda for your next integration session. "
                "This needs the entry to be shared."
            ),
        }
        widgets = {
            "body": forms.Textarea(attrs={"rows": 8}),
            "stood_out": forms.Textarea(attrs={"rows": 3}),
            "emotions": forms.Textarea(attrs={"rows": 3}),
            "body_sensations": forms.Textarea(attrs={"rows": 3}),
            "insights": forms.Textarea(attrs={"rows": 3}),
            "intention": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, patient, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = AdministrationSession.objects.visible_to(
            patient
        ).newest_first()
        if self.instance.session_id:
            # The choices carry public ids, while the instance holds the integer key.
            self.initial["session"] = self.instance.session.public_id
        names = ", ".join(t.get_full_name() for t in access.care_team_of(patient))
        self.fields["is_shared"].help_text = (
            "Private: only you can read it; nobody at the clinic sees it. "
            f"Shared: your care team ({names or 'your therapists'}) can read and comment "
            "on it, and you will see who read it and when. You can change this later."
        )
        for name in ("body", "stood_out", "emotions", "body_sensations", "insights", "intention"):
            self.fields[name].error_messages["max_length"] = TOO_LONG

    def words(self):
        """What the patient wrote that is valid to keep, even if another field is not."""
        return {
            name: self.cleaned_data[name]
            for name in TEXT_FIELDS
            if name in self.cleaned_data and name not in self.errors
        }

    def prompt_fields(self):
        return [self[name] for name in GUIDED_PROMPTS]


class AdministrationSessionForm(PlainLabelsMixin, forms.ModelForm):
    class Meta:
        model = AdministrationSession
        fields = ["occurred_at", "route", "dose_mg", "notes"]
        labels = {"occurred_at": _("Date and time"), "dose_mg": _("Dose in mg (optional)")}
        help_texts = {"notes": _("Optional. Your patient can read these notes.")}
        widgets = {
            "occurred_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "route": forms.RadioSelect,
            "dose_mg": forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal"}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "occurred_at": {"invalid": _("Enter the date and time the session took place.")},
            "dose_mg": {
                "invalid": _("Enter the dose as a number of mg, like 35 or 52.5."),
                "min_value": _("A dose is at least 0.1 mg."),
                "max_value": _("That is more than 1000 mg: please check the number."),
                "max_decimal_places": _("Use at most one decimal place, like 52.5."),
                "max_digits": _("That is more than 1000 mg: please check the number."),
                "max_whole_digits": _("That is more than 1000 mg: please check the number."),
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["route"].choices = Route.choices


class CommentForm(PlainLabelsMixin, forms.ModelForm):
    class Meta:
        model = Comment
        fields = ["body"]
        labels = {"body": "Comment for the patient"}
        help_texts = {"body": "Your patient reads this under their entry."}
        widgets = {"body": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "body": {
                "required": "Write your comment before sending it.",
                "max_length": f"Keep a comment under {COMMENT_MAX_CHARS} characters.",
            }
        }


class ClinicalNoteForm(PlainLabelsMixin, forms.ModelForm):
    class Meta:
        model = ClinicalNote
        fields = ["body"]
        labels = {"body": "Private clinical note"}
        help_texts = {"body": "Only the care team sees this. Never shown to the patient."}
        widgets = {"body": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "body": {
                "required": "Write the note before saving it.",
                "max_length": f"Keep a note under {COMMENT_MAX_CHARS} characters.",
            }
        }


class IntentionForm(PlainLabelsMixin, forms.Form):
    """The intention for the next session: the words, and whether the care team reads them."""

    # The intention this page is changing, or the id it chose for a new one: a double
    # submit changes one intention, and a stale page is told what happened.
    key = forms.UUIDField(widget=forms.HiddenInput)
    body = forms.CharField(
        label="What do you want to bring into your next session?",
        help_text=(
            "A hope, a question, something you want to look at, or simply how you feel "
            f"going in. A few lines is plenty (up to {INTENTION_MAX_CHARS:,} characters). "
            "You can change it until your session is recorded."
        ),
        max_length=INTENTION_MAX_CHARS,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": TOO_LONG},
    )
    is_shared = forms.BooleanField(
        label="Share with my care team",
        help_text=(
            "Ticked: your therapist reads it to prepare your session. Unticked: only you "
            "see it, and it stays with the session in your journal."
        ),
        required=False,
        initial=True,
    )


class ReplyForm(PlainLabelsMixin, forms.Form):
    """One message in the thread under an entry: the patient's answer, or the care team's."""

    body = forms.CharField(
        label="Your reply",
        max_length=REPLY_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Write a few words before sending.",
            "max_length": (
                "A reply holds %(limit_value)s characters at most (this one has "
                "%(show_value)s). Could you shorten it, or write the rest in a new entry?"
            ),
        },
    )
