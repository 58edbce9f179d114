"""Account pages outside the app's front door: accepting an invitation link, your devices."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.forms import AcceptInvitationForm
from accounts.language import is_supported
from accounts.models import Invitation
from accounts.services import accept_invitation, set_language
from accounts.tokens import devices_of, revoke_device
from common.responses import see_other


def invitation_accept(request, token):
    invitation = Invitation.objects.find_by_token(token)
    if invitation is None:
        return _invitation_problem(
            request, _("We could not find this invitation link. Check that you copied all of it.")
        )
    if not invitation.is_usable:
        return _invitation_problem(request, invitation.problem.label, invitation)
    patient = invitation.patient
    form = AcceptInvitationForm(patient, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            accept_invitation(
                invitation=invitation,
                password=form.cleaned_data["new_password1"],
                request=request,
            )
        except ValidationError as error:
            # The same link was spent a moment ago (a double submit or a second tab).
            invitation.refresh_from_db()
            return _invitation_problem(request, error.messages[0], invitation)
        login(request, patient, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome. Your password is set and you are logged in."))
        return see_other("care:home")
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "accounts/invitation_accept.html",
        {"form": form, "patient": patient},
        status=status,
    )


def _invitation_problem(request, problem, invitation=None):
    return render(
        request,
        "accounts/invitation_problem.html",
        {
            "problem": problem,
            "invitation": invitation,
            "valid_days": settings.INVITATION_VALID_DAYS,
        },
        # 404 for a link we never issued; 410 Gone for one that has been spent or expired.
        status=404 if invitation is None else 410,
    )


@login_required
def devices(request):
    """The phones and tablets logged in to the app as you, each with a button to log it out."""
    return render(request, "accounts/devices.html", {"devices": devices_of(request.user)})


@login_required
@require_POST
def device_revoke(request, public_id):
    # Someone else's device is a 404, like one that does not exist.
    name = revoke_device(user=request.user, public_id=public_id, request=request)
    messages.success(
        request,
        _("%(device)s is logged out. The app there will ask you to log in again.")
        % {"device": name},
    )
    return see_other("accounts:devices")


@require_POST
def choose_language(request):
    """The language picker: remembered on the account once logged in, in a cookie before."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = see_other(next_url)
    if not is_supported(language):
        return response
    if request.user.is_authenticated:
        set_language(user=request.user, language=language)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response
