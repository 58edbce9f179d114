"""A backup is only a backup once it restores: the clinic's records come back whole and verified.

The README's "Backup and restore" commands, run against the test database: on PostgreSQL
`pg_dump -Fc` into a file and `pg_restore` into a fresh database; on SQLite the backup API
into a file and a copy of it put back. The restored copy then passes `verify_records` (every
signature's text, fingerprint and seal) and `verify_audit` (the hash chain), run as the
clinic would, with DATABASE_URL pointing at it, and holds exactly the rows of the original.
"""

import glob
import os
import shutil
import sqlite3
import subprocess
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection, connections

from audit.models import AuditEvent, Kind
from audit.selectors import verify_chain
from audit.services import record_event
from consent import services as consent_services
from consent.models import Signature
from consent.selectors import verify_signed_records
from journal import services as journal_services
from journal.models import EntryRevision
from tests.commands import manage
from tests.factories.consent import signed_consent
from tests.factories.journal import AdministrationSessionFactory, CommentFactory, EntryFactory

RESTORED = "restored"

pytestmark = pytest.mark.django_db(transaction=True)


# --- The records worth keeping -----------------------------------------------------------


@pytest.fixture
def clinic_records(patient, other_patient, therapist, consent_version):
    """Committed rows of every kind a clinic must not lose, and the audit events about them."""
    signed_consent(patient, consent_version)
    consent_services.withdraw_consent(patient=patient, reason="Not now.")
    signed_consent(patient, consent_version)
    signed_consent(other_patient, consent_version)
    session = AdministrationSessionFactory(patient=patient, recorded_by=therapist)
    entry = EntryFactory(patient=patient, session=session, shared=True, body="First words.")
    journal_services.edit_entry(entry=entry, fields={"body": "Second words."})
    CommentFactory(entry=entry, author=therapist)
    EntryFactory(patient=patient, draft=True, body="A draft.")
    record_event(Kind.EXPORTED, actor=patient, patient=patient, detail={"format": "json"})
    assert Signature.objects.count() == 3
    assert EntryRevision.objects.count() == 1
    assert AuditEvent.objects.count() >= 4


# --- Backing up and restoring, as the README says ---------------------------------------------


def postgres_tool(name):
    """A PostgreSQL client program: the newest installed (it must not be older than the server)."""
    found = sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
        key=lambda path: int(Path(path).parts[-3]) if Path(path).parts[-3].isdigit() else 0,
    )
    tool = found[-1] if found else shutil.which(name)
    assert tool, f"{name} is not installed (apt-get install postgresql-client)"
    return tool


def postgres_env(database):
    return {
        **os.environ,
        "PGHOST": database["HOST"] or "127.0.0.1",
        "PGPORT": str(database["PORT"] or 5432),
        "PGUSER": database["USER"] or "postgres",
        "PGPASSWORD": database["PASSWORD"] or "",
    }


def run(*command, env=None):
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"{command[0]}: {result.stdout}{result.stderr}"
    return result


@contextmanager
def restored_copy(tmp_path):
    """Back up the test database, restore it fresh, and yield the restored one's settings."""
    live = connection.settings_dict
    if connection.vendor == "postgresql":
        env = postgres_env(live)
        dump = tmp_path / "kap.dump"
        name = f"{live['NAME']}_restored_{uuid.uuid4().hex[:8]}"
        run(postgres_tool("pg_dump"), "-Fc", "--dbname", live["NAME"], "--file", str(dump), env=env)
        run(postgres_tool("createdb"), name, env=env)
        try:
            run(
                postgres_tool("pg_restore"),
                "--no-owner",
                "--exit-on-error",
                "--dbname",
                name,
                str(dump),
                env=env,
            )
            yield {**live, "NAME": name}
        finally:
            run(postgres_tool("dropdb"), "--force", "--if-exists", name, env=env)
    else:
        backup, restored = tmp_path / "backup.sqlite3", tmp_path / "db.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(backup)
        try:
            # What `sqlite3 db.sqlite3 ".backup backup.sqlite3"` does, on the live database.
            connection.connection.backup(target)
        finally:
            target.close()
        # Restoring is putting the file back, with the server stopped.
        shutil.copyfile(backup, restored)
        yield {**live, "NAME": str(restored)}


def database_url(database):
    if database["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{database['NAME']}"
    user = quote(database["USER"] or "postgres", safe="")
    password = quote(database["PASSWORD"] or "", safe="")
    credentials = f"{user}:{password}" if password else user
    host, port = database["HOST"] or "127.0.0.1", database["PORT"] or 5432
    return f"postgres://{credentials}@{host}:{port}/{database['NAME']}"


def manage_on(database, *args):
    """A management command run as the clinic would, against the given database."""
    keys = ",".join(f"{key_id}:{secret}" for key_id, secret in settings.SIGNATURE_KEYS.items())
    return manage(*args, DATABASE_URL=database_url(database), SIGNATURE_KEYS=keys)


@contextmanager
def opened(database):
    """The restored database as a second Django connection, closed again afterwards.

    Made by hand rather than listed in settings: Django's test case allows such a
    connection, and flushes only the test database at the end.
    """
    connections[RESTORED] = type(connections["default"])(database, alias=RESTORED)
    try:
        yield RESTORED
    finally:
        connections[RESTORED].close()
        del connections[RESTORED]


def stored_models():
    return [
        model
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy and not model._meta.swapped
    ]


def rows(model, using):
    return list(model._base_manager.using(using).order_by("pk").values())


# --- The stories -------------------------------------------------------------------------------


def test_a_restored_backup_holds_every_row_and_passes_both_checks(clinic_records, tmp_path):
    events = AuditEvent.objects.count()

    with restored_copy(tmp_path) as restored:
        records = manage_on(restored, "verify_records")
        audit = manage_on(restored, "verify_audit")
        with opened(restored) as alias:
            for model in stored_models():
                assert rows(model, alias) == rows(model, "default"), model._meta.label

    assert records.returncode == 0, records.stdout + records.stderr
    assert "3 signed consents verified" in records.stdout
    assert audit.returncode == 0, audit.stdout + audit.stderr
    head = AuditEvent.objects.in_order().last().hash
    assert f"{events} audit events, chain intact. Head: {head}" in audit.stdout


def test_a_backup_changed_after_it_was_taken_fails_the_checks(clinic_records, tmp_path):
    with restored_copy(tmp_path) as restored:
        with opened(restored) as alias, connections[alias].cursor() as cursor:
            if connections[alias].vendor == "postgresql":
                # Someone with the backup file and a superuser, going around the triggers.
                cursor.execute("SET session_replication_role = replica")
            cursor.execute(
                "UPDATE audit_auditevent SET actor_email = %s WHERE sequence = 1",
                ["someone.else@example.com"],
            )
            cursor.execute(
                "UPDATE consent_signature SET typed_name = %s WHERE id = "
                "(SELECT MIN(id) FROM consent_signature)",
                ["Someone Else"],
            )
        records = manage_on(restored, "verify_records")
        audit = manage_on(restored, "verify_audit")

    assert records.returncode != 0, records.stdout
    assert audit.returncode != 0, audit.stdout
    assert "audit event 1" in audit.stderr
    # The original is untouched: the checks read the restored copy, not the test database.
    assert verify_chain().is_intact
    assert verify_signed_records().is_intact
