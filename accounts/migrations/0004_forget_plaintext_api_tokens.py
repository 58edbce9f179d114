"""Delete the plain-text tokens of DRF's old authtoken app, if its table is still there.

The API now uses hashed tokens (accounts.ApiToken, django-rest-knox), so these no longer
log anyone in; left in the table they would still be readable secrets in every backup.
Apps log in again once. The reverse does nothing on purpose: they must not come back.
"""

from django.db import migrations

OLD_TABLE = "authtoken_token"


def delete_plaintext_tokens(apps, schema_editor):
    connection = schema_editor.connection
    if OLD_TABLE in connection.introspection.table_names():
        schema_editor.execute(f"DELETE FROM {connection.ops.quote_name(OLD_TABLE)}")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_encrypt_two_factor_secrets"),
    ]

    operations = [
        migrations.RunPython(delete_plaintext_tokens, migrations.RunPython.noop),
    ]
