from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.forms import PlainLabelsMixin
from consent.presenters import reply_within
from consent.services import ANSWER_MAX_CHARS, QUESTION_MAX_CHARS, REASON_MAX_CHARS


class ConsentForm(PlainLabelsMixin, forms.Form):
    def apply_rule_error(self, error):
        """Show a ValidationError from the consent rules next to the field it is about."""
        if hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
        else:
            self.add_error(None, error.messages)


class AcknowledgeForm(ConsentForm):
    confirmed = forms.BooleanField(
        required=False, label=gettext_lazy("I have read and understand this section")
    )


class AnswerForm(ConsentForm):
    choice = forms.TypedChoiceField(
        coerce=int,
        widget=forms.RadioSelect,
        label=gettext_lazy("Your answer"),
        error_messages={
            "required": gettext_lazy("Choose one of the answers."),
            "invalid_choice": gettext_lazy("Choose one of the answers."),
        },
    )

    def __init__(self, *args, section, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["choice"].choices = section.numbered_choices
        self.fields["choice"].label = section.question_prompt


class CareTeamQuestionForm(ConsentForm):
    text = forms.CharField(
        label=gettext_lazy("Your question for your care team"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=QUESTION_MAX_CHARS,
        error_messages={
            "required": gettext_lazy("Write your question first."),
            "max_length": gettext_lazy(
                "Please keep your question under %(limit_value)d characters."
            ),
        },
        help_text=gettext_lazy("Your therapist sees it and answers here."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].help_text = _(
            "Your therapist sees it and answers here, usually %(reply_within)s."
        ) % {"reply_within": reply_within()}

    @classmethod
    def about_question(cls, section):
        """The form begun for a patient who missed a section's question twice."""
        return cls(
            initial={
                "text": _("About the question “%(question)s”: ")
                % {"question": section.question_prompt}
            }
        )


class AnswerQuestionForm(ConsentForm):
    answer = forms.CharField(
        label=gettext_lazy("Your answer"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=ANSWER_MAX_CHARS,
        error_messages={"required": gettext_lazy("Write an answer first.")},
        help_text=gettext_lazy("The patient sees this on the consent section they asked about."),
    )


class SignatureForm(ConsentForm):
    typed_name = forms.CharField(
        label=gettext_lazy("Type your full name"),
        max_length=300,
        error_messages={"required": gettext_lazy("Type your full name to sign.")},
    )
    confirms_meaning = forms.BooleanField(
        required=False,
        label=gettext_lazy("I understand that typing my name here is my signature"),
    )
    # Never shown again after a refusal (render_value=False); the typed name is kept.
    password = forms.CharField(
        label=gettext_lazy("Your password"),
        strip=False,
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=gettext_lazy("The one you log in with. We ask again so that only you can sign."),
    )
    code = forms.CharField(
        label=gettext_lazy("Code from your authenticator app"),
        required=False,
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9 ]*"}
        ),
    )

    # The language of the text shown on the page: the text signed is that one, even if
    # the patient switches language before the form arrives.
    language = forms.CharField(required=False, max_length=8, widget=forms.HiddenInput)

    def __init__(self, *args, patient, needs_code, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["typed_name"].help_text = _("As on your account: %(name)s") % {
            "name": patient.get_full_name()
        }
        self.fields["typed_name"].widget.attrs["autocomplete"] = "name"
        if not needs_code:
            # Most patients have no authenticator app: no box they cannot fill.
            del self.fields["code"]


class WithdrawalForm(ConsentForm):
    reason = forms.CharField(
        label=gettext_lazy("Why are you withdrawing? (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=REASON_MAX_CHARS,
        error_messages={
            "max_length": gettext_lazy("Please keep the reason under %(limit_value)d characters.")
        },
    )
    confirmed = forms.BooleanField(
        label=gettext_lazy("I want to withdraw my consent"),
        error_messages={
            "required": gettext_lazy("Tick the box to confirm that you want to withdraw.")
        },
    )
