"""The reminder settings page, and the unsubscribe link every reminder email carries."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from common.responses import see_other
from reminders.forms import ReminderSettingsForm
from reminders.selectors import reminder_settings
from reminders.services import read_unsubscribe_token, set_reminder_preferences, unsubscribe


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def settings_page(request):
    """Each kind of email reminder, on or off, for the person logged in."""
    current = reminder_settings(request.user)
    # All boxes unticked posts nothing at all, which is still a choice to save.
    form = ReminderSettingsForm(current, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        set_reminder_preferences(
            user=request.user,
            turned_on={key: form.cleaned_data[key] for key in form.keys},
            request=request,
        )
        messages.success(request, _("Your reminders are saved."))
        return see_other("reminders:settings")
    status = 422 if request.method == "POST" else 200
    return render(request, "reminders/reminder_settings.html", {"form": form}, status=status)


# Mail clients post the one-click unsubscribe (RFC 8058) with no cookie and no CSRF
# token: the signed link is the whole proof. Only this view is exempt.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe_page(request, token):
    """GET asks (mail scanners open links and must change nothing); POST turns it off."""
    try:
        if request.method == "POST":
            _user, kind = unsubscribe(token=token, request=request)
            done = True
        else:
            _user, kind = read_unsubscribe_token(token)
            done = False
    except ValidationError as error:
        return render(
            request, "reminders/unsubscribe.html", {"problem": error.messages[0]}, status=404
        )
    return render(
        request,
        "reminders/unsubscribe.html",
        {"kind": kind, "done": done, "token": token},
    )
