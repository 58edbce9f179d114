"""Forms for writing, reviewing and recording: they clean input and explain kindly.

Shape only: rules live on the models (`Entry.clean`, constraints) and in
`journal.services` (say, "nothing to save yet"); the views hand `cleaned_data` to a service.
"""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

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

SCALE_CHOICES = [("", pgettext_lazy("a scale left unanswered", "Skip"))] + [
    (n, str(n)) for n in range(SCALE_MIN, SCALE_MAX + 1)
]
TOO_LONG = gettext_lazy(
    "This is longer than we can keep in one place: %(limit_value)s characters at most "
    "(it has %(show_value)s). Could you move part of it to another box or a new entry?"
)
DOSE_TOO_HIGH = gettext_lazy("That is more than 1000 mg: please check the number.")


def _scale_field(label, help_text):
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=SCALE_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect(attrs={"class": "scale"}),
        error_messages={"invalid_choice": gettext_lazy("Choose a number from 0 to 10, or Skip.")},
    )


class SessionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, session):
        return _("Session on %(day)s") % {"day": friendly_date(session.occurred_at)}


class EntryForm(PlainLabelsMixin, forms.ModelForm):
    """A journal entry, whether the page is saving a draft or the patient is finishing it.

    `cleaned_data` holds typed values (a session, ints or None, experience codes, bools),
    ready for `journal.services.save_draft`, `submit_entry` or `edit_entry`.
    """

    session = SessionChoiceField(
        label=gettext_lazy("Is this about a session?"),
        queryset=AdministrationSession.objects.none(),
        required=False,
        empty_label=gettext_lazy("No, it stands on its own"),
        to_field_name="public_id",
    )
    mood = _scale_field(
        gettext_lazy("Mood"), gettext_lazy("0 is the lowest you have felt, 10 the best.")
    )
    anxiety = _scale_field(
        gettext_lazy("Anxiety"),
        gettext_lazy("0 is completely calm, 10 the most anxious you have felt."),
    )
    experiences = forms.MultipleChoiceField(
        label=gettext_lazy("Did you notice any of these?"),
        choices=Experience.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("During or after the session. Tick any that fit, or none."),
        error_messages={"invalid_choice": gettext_lazy("Choose from the experiences listed.")},
    )
    is_shared = forms.TypedChoiceField(
        label=gettext_lazy("Who can read this entry?"),
        choices=[
            ("False", gettext_lazy("Only me (private)")),
            ("True", gettext_lazy("Me and my care team (shared)")),
        ],
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
            "body": gettext_lazy("Your reflection"),
            "stood_out": gettext_lazy("What stood out for you?"),
            "emotions": gettext_lazy("What emotions came up?"),
            "body_sensations": gettext_lazy("What did you notice in your body?"),
            "insights": gettext_lazy("Any insights or new ways of seeing something?"),
            "intention": gettext_lazy("An intention you would like to bring to therapy"),
            "experiences_other": gettext_lazy("Something else you noticed"),
            "is_for_discussion": gettext_lazy("Bring this to my next integration session"),
        }
        help_texts = {
            "body": format_lazy(
                gettext_lazy(
                    "Write as much as you like, up to {limit} characters (about eight pages). "
                    "It saves itself as you type."
                ),
                limit=f"{ENTRY_MAX_CHARS:,}",
            ),
            "is_for_discussion": gettext_lazy(
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
        self.fields["is_shared"].help_text = _(
            "Private: only you can read it; nobody at the clinic sees it. "
            "Shared: your care team (%(names)s) can read and comment "
            "on it, and you will see who read it and when. You can change this later."
        ) % {"names": names or _("your therapists")}
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
        labels = {
            "occurred_at": gettext_lazy("Date and time"),
            "route": gettext_lazy("Route"),
            "dose_mg": gettext_lazy("Dose in mg (optional)"),
            "notes": gettext_lazy("Notes"),
        }
        help_texts = {"notes": gettext_lazy("Optional. Your patient can read these notes.")}
        widgets = {
            "occurred_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "route": forms.RadioSelect,
            "dose_mg": forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal"}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "occurred_at": {
                "invalid": gettext_lazy("Enter the date and time the session took place.")
            },
            "dose_mg": {
                "invalid": gettext_lazy("Enter the dose as a number of mg, like 35 or 52.5."),
                "min_value": gettext_lazy("A dose is at least 0.1 mg."),
                "max_value": DOSE_TOO_HIGH,
                "max_decimal_places": gettext_lazy("Use at most one decimal place, like 52.5."),
                "max_digits": DOSE_TOO_HIGH,
                "max_whole_digits": DOSE_TOO_HIGH,
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["route"].choices = Route.choices


class CommentForm(PlainLabelsMixin, forms.ModelForm):
    class Meta:
        model = Comment
        fields = ["body"]
        labels = {"body": gettext_lazy("Comment for the patient")}
        help_texts = {"body": gettext_lazy("Your patient reads this under their entry.")}
        widgets = {"body": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "body": {
                "required": gettext_lazy("Write your comment before sending it."),
                "max_length": format_lazy(
                    gettext_lazy("Keep a comment under {limit} characters."),
                    limit=COMMENT_MAX_CHARS,
                ),
            }
        }


class ClinicalNoteForm(PlainLabelsMixin, forms.ModelForm):
    class Meta:
        model = ClinicalNote
        fields = ["body"]
        labels = {"body": gettext_lazy("Private clinical note")}
        help_texts = {
            "body": gettext_lazy("Only the care team sees this. Never shown to the patient.")
        }
        widgets = {"body": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "body": {
                "required": gettext_lazy("Write the note before saving it."),
                "max_length": format_lazy(
                    gettext_lazy("Keep a note under {limit} characters."),
                    limit=COMMENT_MAX_CHARS,
                ),
            }
        }


class IntentionForm(PlainLabelsMixin, forms.Form):
    """The intention for the next session: the words, and whether the care team reads them."""

    # The intention this page is changing, or the id it chose for a new one: a double
    # submit changes one intention, and a stale page is told what happened.
    key = forms.UUIDField(widget=forms.HiddenInput)
    body = forms.CharField(
        label=gettext_lazy("What do you want to bring into your next session?"),
        help_text=format_lazy(
            gettext_lazy(
                "A hope, a question, something you want to look at, or simply how you feel "
                "going in. A few lines is plenty (up to {limit} characters). "
                "You can change it until your session is recorded."
            ),
            limit=f"{INTENTION_MAX_CHARS:,}",
        ),
        max_length=INTENTION_MAX_CHARS,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": TOO_LONG},
    )
    is_shared = forms.BooleanField(
        label=gettext_lazy("Share with my care team"),
        help_text=gettext_lazy(
            "Ticked: your therapist reads it to prepare your session. Unticked: only you "
            "see it, and it stays with the session in your journal."
        ),
        required=False,
        initial=True,
    )


class ReplyForm(PlainLabelsMixin, forms.Form):
    """One message in the thread under an entry: the patient's answer, or the care team's."""

    body = forms.CharField(
        label=gettext_lazy("Your reply"),
        max_length=REPLY_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": gettext_lazy("Write a few words before sending."),
            "max_length": gettext_lazy(
                "A reply holds %(limit_value)s characters at most (this one has "
                "%(show_value)s). Could you shorten it, or write the rest in a new entry?"
            ),
        },
    )
