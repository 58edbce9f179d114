"""View decorators that turn the access rules in `accounts.access` into responses.

Anonymous visitors are sent to log in; a logged-in user of the wrong role gets 403.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required

from accounts import access


def _role_required(predicate):
    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            access.require_role(request.user, predicate)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


patient_required = _role_required(access.is_patient)
therapist_required = _role_required(access.is_therapist)
