"""Every API token is revoked when its owner's password changes or the account is deactivated.

Receivers on the User model, so every path counts: allauth's change and reset, the
Django admin, an invitation accepted, a management command. They compare the stored
password hash and `is_active` with the ones being saved. (A hash that changes because
Django upgraded its hasher counts too; that only means logging in on the app again.)
"""

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from accounts.models import User
from accounts.tokens import revoke_all_tokens

WATCHED_FIELDS = {"password", "is_active"}


@receiver(pre_save, sender=User, dispatch_uid="accounts.note_credentials_change")
def note_credentials_change(sender, instance, raw=False, update_fields=None, **kwargs):
    instance._revoke_api_tokens = False
    if raw or instance._state.adding:
        return
    if update_fields is not None and not WATCHED_FIELDS & set(update_fields):
        # e.g. last_login at each login: no need to look.
        return
    stored = User.objects.filter(pk=instance.pk).values("password", "is_active").first()
    if stored is None:
        return
    password_changed = stored["password"] != instance.password
    deactivated = stored["is_active"] and not instance.is_active
    instance._revoke_api_tokens = password_changed or deactivated


@receiver(post_save, sender=User, dispatch_uid="accounts.revoke_tokens_on_credentials_change")
def revoke_tokens_on_credentials_change(sender, instance, **kwargs):
    if getattr(instance, "_revoke_api_tokens", False):
        instance._revoke_api_tokens = False
        revoke_all_tokens(users=[instance])
