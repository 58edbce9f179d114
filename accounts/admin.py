"""The clinic admin manages accounts and care teams here; never passwords or clinical records.

- No password field, and Django's "set password" page is closed to everyone: whoever sets
  a password can log in as that person. The admin sends a reset email instead.
- Accounts are deactivated, never deleted: clinical records keep who wrote them (the
  journal and consent keys to users are PROTECT).
- An email change is announced to the old and the new address.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied

from accounts import services
from accounts.models import CareTeamMembership, Invitation, Role, User


class CareTeamInline(admin.TabularInline):
    model = CareTeamMembership
    fk_name = "patient"
    extra = 1
    verbose_name = "therapist caring for this patient"
    verbose_name_plural = "Care team (therapists caring for this patient)"
    autocomplete_fields = ["therapist"]
    readonly_fields = ["created_at"]


class UserCreationByEmailForm(forms.ModelForm):
    """The admin creates an account without a password; patients set theirs by invitation."""

    class Meta:
        model = User
        fields = ["email", "first_name", "last_name", "role"]


class UserChangeByEmailForm(forms.ModelForm):
    """Django's change form without its password field (and the link to set one)."""

    class Meta:
        model = User
        fields = [
            "email",
            "first_name",
            "last_name",
            "role",
            "is_active",
            "is_superuser",
            "groups",
            "user_permissions",
        ]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserChangeByEmailForm
    add_form = UserCreationByEmailForm
    ordering = ["last_name", "first_name"]
    list_display = ["email", "first_name", "last_name", "role", "is_active", "last_login"]
    list_filter = ["role", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    readonly_fields = ["public_id", "last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["email", "public_id"]}),
        ("Person", {"fields": ["first_name", "last_name", "role"]}),
        ("Status", {"fields": ["is_active", "last_login", "date_joined"]}),
        (
            "Admin rights (clinic admins only)",
            {"classes": ["collapse"], "fields": ["is_superuser", "groups", "user_permissions"]},
        ),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "description": (
                    "New accounts have no password. Patients get one by invitation (use the "
                    "'Send an invitation link' action); therapists and admins get a reset "
                    "email ('Send a password reset email')."
                ),
                "fields": ["email", "first_name", "last_name", "role"],
            },
        )
    ]
    actions = ["send_invitation_links", "send_password_reset_emails", "deactivate_accounts"]

    def get_inlines(self, request, obj):
        return [CareTeamInline] if obj and obj.is_patient else []

    def has_delete_permission(self, request, obj=None):
        # Deactivate instead: deleting a person would erase or orphan clinical records.
        return False

    def user_change_password(self, request, id, form_url=""):
        # Nobody sets another person's password: they get a reset email and choose it.
        raise PermissionDenied("Passwords are never set here. Send a password reset email.")

    def save_model(self, request, obj, form, change):
        # The Django admin is for clinic admins only; the role decides, not a checkbox.
        obj.is_staff = obj.role == Role.CLINIC_ADMIN
        if not obj.is_staff:
            obj.is_superuser = False
        if not change:
            obj.set_unusable_password()
        elif "email" in form.changed_data:
            # Through the service, so both the old and the new address hear of it.
            services.change_email(user=obj, new_email=obj.email, by=request.user, request=request)
        super().save_model(request, obj, form, change)

    @admin.action(description="Send an invitation link to the selected patients")
    def send_invitation_links(self, request, queryset):
        sent = 0
        for patient in queryset.patients():
            if patient.has_joined:
                continue
            services.send_invitation(
                patient=patient,
                invited_by=request.user,
                base_url=request.build_absolute_uri("/"),
                request=request,
            )
            sent += 1
        self.message_user(request, f"Sent {sent} invitation link(s) by email.", messages.SUCCESS)

    @admin.action(description="Send a password reset email")
    def send_password_reset_emails(self, request, queryset):
        sent = sum(services.send_password_reset(user=user, request=request) for user in queryset)
        skipped = queryset.count() - sent
        self.message_user(
            request,
            f"Sent {sent} password reset email(s)."
            + (f" {skipped} deactivated account(s) got none." if skipped else ""),
            messages.SUCCESS,
        )

    @admin.action(description="Deactivate the selected accounts")
    def deactivate_accounts(self, request, queryset):
        if queryset.filter(pk=request.user.pk).exists():
            self.message_user(request, "You cannot deactivate your own account.", messages.ERROR)
            queryset = queryset.exclude(pk=request.user.pk)
        count = services.deactivate_accounts(users=queryset, by=request.user, request=request)
        self.message_user(
            request,
            f"Deactivated {count} account(s). They can no longer log in; their records stay.",
            messages.SUCCESS,
        )


@admin.register(CareTeamMembership)
class CareTeamMembershipAdmin(admin.ModelAdmin):
    list_display = ["therapist", "patient", "created_at"]
    list_filter = ["therapist"]
    search_fields = ["patient__email", "patient__last_name", "therapist__last_name"]
    autocomplete_fields = ["patient", "therapist"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = [
        "patient",
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_at",
        "revoked_at",
    ]
    readonly_fields = [f.name for f in Invitation._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
