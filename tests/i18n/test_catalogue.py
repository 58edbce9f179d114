"""The Spanish catalogue is complete, real and compiled.

Every string the app can show is marked for translation and has a Spanish translation that is
not a guess; the compiled file the server reads is the one the translators wrote.
"""

import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from django.core.management import call_command

from tests.i18n.spanish import CATALOGUE

ROOT = CATALOGUE.parents[3]


def test_every_string_in_the_catalogue_has_a_spanish_translation():
    catalogue = polib.pofile(str(CATALOGUE))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    assert not untranslated, f"{len(untranslated)} strings have no Spanish yet: {untranslated[:20]}"


def test_no_translation_is_a_guess():
    catalogue = polib.pofile(str(CATALOGUE))
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert not fuzzy, f"Fuzzy (guessed) translations to check: {fuzzy[:20]}"


def test_placeholders_survive_translation():
    """A translator's slip with %(name)s or {count} would crash a page or drop a word."""
    import re

    placeholder = re.compile(r"%\(\w+\)[sd]|\{\w*\}|%[sd]")
    for entry in polib.pofile(str(CATALOGUE)).translated_entries():
        forms = [entry.msgstr] if entry.msgstr else list(entry.msgstr_plural.values())
        wanted = sorted(placeholder.findall(entry.msgid_plural or entry.msgid))
        for form in forms:
            got = sorted(placeholder.findall(form))
            if entry.msgid_plural:
                # A singular form may say "uno" instead of %(count)s.
                assert set(got) <= set(wanted), (entry.msgid, form)
            else:
                assert got == wanted, (entry.msgid, form)


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="needs GNU gettext (msgfmt)")
def test_the_compiled_catalogue_is_up_to_date(tmp_path):
    compiled = tmp_path / "django.mo"
    msgfmt = shutil.which("msgfmt")
    subprocess.run([msgfmt, "--check", "-o", str(compiled), str(CATALOGUE)], check=True)
    committed = CATALOGUE.with_suffix(".mo")
    assert committed.read_bytes() == compiled.read_bytes(), (
        "Run `python manage.py compilemessages` and commit locale/es/LC_MESSAGES/django.mo"
    )


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext (xgettext)")
def test_every_marked_string_in_the_code_is_in_the_catalogue(tmp_path, monkeypatch):
    """Running makemessages on a copy adds nothing: no marked string is missing from it."""
    copy = tmp_path / "project"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".*", "node_modules", "staticfiles", "test-artifacts", "tests", "*.pyc", "__pycache__"
        ),
    )
    monkeypatch.chdir(copy)
    monkeypatch.setattr("django.conf.settings.LOCALE_PATHS", [copy / "locale"])
    call_command("makemessages", locale=["es"], no_obsolete=True, verbosity=0)
    before = {(e.msgctxt, e.msgid) for e in polib.pofile(str(CATALOGUE))}
    fresh = copy / Path(CATALOGUE).relative_to(ROOT)
    after = {(e.msgctxt, e.msgid) for e in polib.pofile(str(fresh))}
    missing = sorted(after - before, key=str)
    stale = sorted(before - after, key=str)
    assert not missing, f"Run makemessages and translate: {missing[:20]}"
    assert not stale, f"Strings no longer used, run makemessages --no-obsolete: {stale[:20]}"
