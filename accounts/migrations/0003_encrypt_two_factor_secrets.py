"""Encrypt the two-factor secrets allauth stored in plain text, with MFA_ENCRYPTION_KEY.

From now on accounts.adapters.ClinicMFAAdapter encrypts new secrets and decrypts every
stored one; this brings the ones saved before it up to date. TOTP secrets, recovery-code
seeds and imported recovery codes are all secrets. Runs twice safely: a value that
already decrypts is left alone. The reverse decrypts them again (for a rollback to code
that reads them in plain text).
"""

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import migrations


def _fernet():
    keys = [key.strip() for key in settings.MFA_ENCRYPTION_KEY.split(",") if key.strip()]
    return MultiFernet([Fernet(key) for key in keys])


def _decrypted(fernet, value):
    """The plain text of an encrypted value, or None if it is not one of ours."""
    try:
        return fernet.decrypt(value.encode()).decode()
    except InvalidToken:
        return None


def _encrypt(fernet, value):
    if _decrypted(fernet, value) is not None:
        return value
    return fernet.encrypt(value.encode()).decode()


def _decrypt(fernet, value):
    plain = _decrypted(fernet, value)
    return value if plain is None else plain


def _convert(apps, convert):
    Authenticator = apps.get_model("mfa", "Authenticator")
    fernet = _fernet()
    for authenticator in Authenticator.objects.filter(type__in=["totp", "recovery_codes"]):
        data = dict(authenticator.data)
        for field in ("secret", "seed"):
            if isinstance(data.get(field), str):
                data[field] = convert(fernet, data[field])
        if isinstance(data.get("migrated_codes"), list):
            data["migrated_codes"] = [convert(fernet, code) for code in data["migrated_codes"]]
        if data != authenticator.data:
            authenticator.data = data
            authenticator.save(update_fields=["data"])


def encrypt_secrets(apps, schema_editor):
    _convert(apps, _encrypt)


def decrypt_secrets(apps, schema_editor):
    _convert(apps, _decrypt)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_api_token"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [
        migrations.RunPython(encrypt_secrets, decrypt_secrets),
    ]
