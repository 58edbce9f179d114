# Signatures record how the patient confirmed who they were, and carry a keyed seal (HMAC).
# Rows signed before this migration get "not asked" and an empty seal here; the next
# migration seals them, and says it sealed them then, not when they were signed.

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("consent", "0002_default_kap_consent"),
    ]

    operations = [
        migrations.AddField(
            model_name="signature",
            name="signer_email",
            field=models.EmailField(
                default="",
                help_text="The patient's email address when they signed.",
                max_length=254,
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="signature",
            name="identity_confirmed_by",
            field=models.CharField(
                choices=[
                    ("password", "password"),
                    ("password_and_code", "password and two-factor code"),
                    ("not_asked", "not asked (signed before the app asked for the password)"),
                ],
                default="not_asked",
                max_length=20,
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="signature",
            name="identity_confirmed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="signature",
            name="seal_key_id",
            field=models.CharField(
                default="",
                help_text="Which of SIGNATURE_KEYS made the seal (the key is never stored).",
                max_length=40,
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="signature",
            name="seal",
            field=models.CharField(
                default="", help_text="HMAC-SHA256 of the whole record.", max_length=64
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="signature",
            name="sealed_at",
            field=models.DateTimeField(default=django.utils.timezone.now),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="signature",
            name="sealed_when",
            field=models.CharField(
                choices=[
                    ("at_signing", "when it was signed"),
                    ("by_migration", "later, by a migration, not when it was signed"),
                ],
                default="by_migration",
                max_length=20,
            ),
            preserve_default=False,
        ),
    ]
