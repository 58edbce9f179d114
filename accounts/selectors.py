"""Reads of accounts that web pages and the API share."""

from django.shortcuts import get_object_or_404

from accounts.models import User


def patient_or_404(user, public_id):
    """A patient this user may see; anyone else's answers 404, like a missing one."""
    # 404, not 403, for a patient outside this user's care: never confirm they exist.
    return get_object_or_404(User.objects.visible_to(user).patients(), public_id=public_id)
