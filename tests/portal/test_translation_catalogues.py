"""The translation catalogues hold every string the code and templates ask for, translated.

`make messages` rebuilds the catalogues from what xgettext finds in the source. A string it
cannot find (a variable passed to gettext, a call inside an f-string, gettext under another
name) is marked obsolete on the next rebuild and then shows in English to bokmål and nynorsk
readers. The check rebuilds the catalogues in a copy of the project and compares.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("manage.py", "portal", "needs", "offers", "matching", "templates", "locale")
ENTRY = re.compile(r'^(#, fuzzy\n)?(?:#.*\n)*msgid ((?:".*"\n)+)(?:msgid_plural (?:".*"\n)+)?'
                   r'((?:msgstr(?:\[\d\])? (?:".*"\n)+)+)', re.M)


def _text(quoted: str) -> str:
    return "".join(re.findall(r'"(.*)"', quoted))


def _entries(po: Path) -> dict[str, tuple[bool, list[str]]]:
    """Active entries: msgid -> (fuzzy, its msgstr texts). Obsolete (#~) entries are left out."""
    text = "\n".join(line for line in po.read_text().splitlines() if not line.startswith("#~"))
    entries = {}
    for fuzzy, msgid, msgstrs in ENTRY.findall(text + "\n"):
        strings = [_text(part) for part in re.split(r"^msgstr(?:\[\d\])? ", msgstrs, flags=re.M)
                   if part.strip()]
        entries[_text(msgid)] = (bool(fuzzy), strings)
    entries.pop("", None)  # the header
    return entries


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory) -> Path:
    if not shutil.which("xgettext"):
        pytest.skip("GNU gettext is not installed")
    copy = tmp_path_factory.mktemp("project")
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, copy / name)
    subprocess.run([sys.executable, "manage.py", "makemessages", "-l", "nb", "-l", "nn",
                    "--no-obsolete", "--no-location"], cwd=copy, check=True,
                   capture_output=True,
                   env={**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.base"})
    return copy


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_every_string_the_source_asks_for_is_translated(rebuilt, language):
    found = _entries(rebuilt / f"locale/{language}/LC_MESSAGES/django.po")
    kept = _entries(ROOT / f"locale/{language}/LC_MESSAGES/django.po")
    missing = sorted(msgid for msgid in found if msgid not in kept)
    untranslated = sorted(msgid for msgid, (fuzzy, strings) in kept.items()
                          if msgid in found and (fuzzy or not all(strings)))
    unfound = sorted(msgid for msgid in kept if msgid not in found)
    assert not missing, f"not in the {language} catalogue (run make messages): {missing[:10]}"
    # A live string here is one xgettext cannot see: give it to gettext_noop or gettext by name.
    assert not unfound, f"in the {language} catalogue, not found in the source: {unfound[:10]}"
    assert not untranslated, f"untranslated or fuzzy in {language}: {untranslated[:10]}"
