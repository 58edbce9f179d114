from allauth.account.forms import LoginForm
from django import forms
from django.contrib.auth.forms import SetPasswordForm
from django.utils.translation import gettext_lazy as _


class PlainLabelsMixin:
    """Labels without a trailing colon: they sit above their field, like a heading."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class AddPatientForm(PlainLabelsMixin, forms.Form):
    """A therapist adds a new patient to their own care (shape only; the service decides)."""

    first_name = forms.CharField(max_length=150, label=_("First name"))
    last_name = forms.CharField(max_length=150, label=_("Last name"))
    email = forms.EmailField(
        max_length=254,
        label=_("Email"),
        help_text=_("We send the invitation link here. The patient logs in with this address."),
    )

    def clean_first_name(self):
        return " ".join(self.cleaned_data["first_name"].split())

    def clean_last_name(self):
        return " ".join(self.cleaned_data["last_name"].split())

    def clean_email(self):
        # Whether the address already has an account is never said here: that would tell
        # any therapist who is a patient of the clinic. The service decides what happens.
        return self.cleaned_data["email"].strip().lower()


class AcceptInvitationForm(SetPasswordForm):
    """A new patient chooses the password they will log in with."""

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.label_suffix = ""
        self.fields["new_password1"].label = "Choose a password"
        self.fields["new_password2"].label = "Type it again"
        for field in self.fields.values():
            field.widget.attrs["autocomplete"] = "new-password"


class ClinicLoginForm(LoginForm):
    """allauth's login form, worded for patients on a phone."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.label_suffix = ""
        self.fields["login"].label = "Email"
        self.fields["password"].help_text = ""  # the page has its own reset link
        if "remember" in self.fields:
            self.fields["remember"].label = "Keep me logged in on this device"
