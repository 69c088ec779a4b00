"""The translation catalogues: complete, compiled and in step with the code."""

import os
import re
import shutil
import subprocess
import sys

import polib
import pytest
from django.conf import settings

LOCALES = [code for code, _name in settings.LANGUAGES]
LOCALE_DIR = settings.BASE_DIR / "locale"


def catalogue(code: str) -> polib.POFile:
    return polib.pofile(str(LOCALE_DIR / code / "LC_MESSAGES" / "django.po"))


def messages(entries) -> dict:
    return {
        (e.msgctxt, e.msgid): (tuple(e.msgstr_plural[k] for k in sorted(e.msgstr_plural))
                               if e.msgid_plural else e.msgstr)
        for e in entries if e.msgid and not e.obsolete
    }  # fmt: skip


@pytest.mark.parametrize("code", LOCALES)
def test_catalogue_has_no_untranslated_or_fuzzy_entry(code):
    po = catalogue(code)
    assert len(po) > 300
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []
    assert [e.msgid for e in po.obsolete_entries()] == []


@pytest.mark.parametrize("code", LOCALES)
def test_compiled_catalogue_is_current(code):
    compiled = polib.mofile(str(LOCALE_DIR / code / "LC_MESSAGES" / "django.mo"))
    assert messages(compiled) == messages(catalogue(code)), "run: manage.py compilemessages"


def test_russian_placeholders_match_the_english():
    placeholders = re.compile(r"%\(\w+\)[sd]|\{\w+\}|</?\w+[^>]*>")
    for entry in catalogue("ru"):
        expected = sorted(placeholders.findall(entry.msgid_plural or entry.msgid))
        forms = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for form in forms:
            assert sorted(placeholders.findall(form)) == expected, entry.msgid


def test_catalogues_hold_every_marked_string(tmp_path):
    """makemessages run on a copy of the code finds nothing the committed catalogues lack.

    A copy of the whole tree: makemessages writes each file's strings into the `locale` folder
    above it, so run in the checkout it would change the committed catalogues themselves."""
    if shutil.which("xgettext") is None:
        if os.environ.get("CI"):
            pytest.fail("CI must check the catalogues (apt-get install gettext)")
        pytest.skip("GNU gettext is not installed (apt-get install gettext)")
    copy = tmp_path / "portal"
    shutil.copytree(settings.BASE_DIR, copy, ignore=shutil.ignore_patterns(
        ".venv*", ".git", "node_modules", "*.sqlite3*", "media", "staticfiles", "__pycache__",
        ".pytest_cache", ".ruff_cache"))  # fmt: skip
    before = {code: os.stat(LOCALE_DIR / code / "LC_MESSAGES" / "django.po").st_mtime_ns
              for code in LOCALES}  # fmt: skip
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", *(f"-l{code}" for code in LOCALES),
         "--no-obsolete", "--ignore=.venv*", "--ignore=tests/*", "--ignore=benchmarks/*"],
        cwd=copy, check=True, capture_output=True, timeout=300, env={**os.environ, "DEBUG": "1"},
    )  # fmt: skip
    for code in LOCALES:
        assert (
            os.stat(LOCALE_DIR / code / "LC_MESSAGES" / "django.po").st_mtime_ns == (before[code])
        ), "the test must not change the committed catalogue"
        fresh = polib.pofile(str(copy / "locale" / code / "LC_MESSAGES" / "django.po"))
        missing = set(messages(fresh)) - set(messages(catalogue(code)))
        assert not missing, f"{code}: run makemessages and translate {sorted(missing)[:5]}"


def test_translation_functions_keep_names_makemessages_knows():
    """xgettext finds only _, gettext, gettext_lazy, ngettext... by name: an alias such as
    `gettext_lazy as _lazy` hides its strings from the catalogues (and from the test above)."""
    alias = re.compile(r"import .*\b(?:n|p|np)?gettext(?:_lazy|_noop)? as (?!_\b)\w+")
    found = [
        f"{path.relative_to(settings.BASE_DIR)}: {line.strip()}"
        for folder in ("cami", "activities", "conservation_units", "species", "reporting")
        for path in (settings.BASE_DIR / folder).rglob("*.py")
        for line in path.read_text(encoding="utf-8").splitlines()
        if alias.search(line)
    ]
    assert found == []
