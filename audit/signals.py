"""Changes made in Django's admin join the audit trail.

The admin writes a LogEntry for every addition, change and deletion it makes; each one
becomes an audit event with the same actor and object, so the clinic's trail has one
place to look.
"""

import json

from django.contrib.admin.models import LogEntry
from django.db.models.signals import post_save
from django.dispatch import receiver

from audit.models import Kind
from audit.services import record_event

ACTIONS = {1: "added", 2: "changed", 3: "deleted"}


@receiver(post_save, sender=LogEntry, dispatch_uid="audit-admin-changes")
def record_admin_change(sender, instance, created, raw=False, **kwargs):
    if not created or raw:
        return
    model = instance.content_type.model_class() if instance.content_type_id else None
    target = None
    if model is not None:
        target = model._default_manager.filter(pk=instance.object_id).first()
    record_event(
        Kind.ADMIN_CHANGED,
        actor=instance.user,
        patient=_patient_of(target),
        target=target if target is not None else str(instance.object_id or ""),
        detail={
            "action": ACTIONS.get(instance.action_flag, str(instance.action_flag)),
            "model": model._meta.label_lower if model is not None else "",
            # The admin's own summary names the changed fields, never their values.
            "fields": _changed_fields(instance.change_message),
        },
    )


def _patient_of(target):
    if target is None:
        return None
    if getattr(target, "is_patient", False):
        return target
    patient = getattr(target, "patient", None)
    return patient if getattr(patient, "is_patient", False) else None


def _changed_fields(change_message):
    try:
        messages = json.loads(change_message or "[]")
    except ValueError:
        return []
    if not isinstance(messages, list):
        return []
    fields = []
    for message in messages:
        if isinstance(message, dict):
            fields += message.get("changed", {}).get("fields", [])
    return fields
