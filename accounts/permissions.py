"""DRF permission classes that adapt the rules in `accounts.access`; the rules live there."""

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from accounts import access


class IsPatient(permissions.BasePermission):
    message = _("This is for patients.")

    def has_permission(self, request, view):
        return access.is_patient(request.user)


class IsTherapist(permissions.BasePermission):
    message = _("This is for therapists.")

    def has_permission(self, request, view):
        return access.is_therapist(request.user)


PATIENTS = [permissions.IsAuthenticated, IsPatient]
THERAPISTS = [permissions.IsAuthenticated, IsTherapist]
