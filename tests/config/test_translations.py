"""The translations (#32): every message of the Turkish and Albanian catalogues translated, none left fuzzy
(a fuzzy entry is makemessages' guess, and a wrong one: "Welcome" once became "Log out"), and the
committed .mo files say what the .po files say (msgfmt compiles them afresh here when it is installed)."""

import ast
import gettext
import shutil
import subprocess
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale"
CATALOGUES = sorted(LOCALE.glob("*/LC_MESSAGES/*.po"))


def test_there_are_catalogues_for_turkish_and_albanian():
    assert {(p.parts[-3], p.stem) for p in CATALOGUES} == {(lang, domain) for lang in ("tr", "sq")
                                                             for domain in ("django", "djangojs")}


def entries(po: Path) -> list[dict]:
    """Each entry's fields (msgid, msgid_plural, msgstr, msgstr[0], …, flags) with continuation lines joined."""
    found = []
    for block in po.read_text(encoding="utf-8").split("\n\n"):
        fields, last = {"flags": ""}, None
        for line in block.splitlines():
            if line.startswith("#,"):
                fields["flags"] += line
            elif line.startswith('"') and last:
                fields[last] += ast.literal_eval(line)
            elif line and not line.startswith("#"):
                last, _space, value = line.partition(" ")
                fields[last] = ast.literal_eval(value)
        if fields.get("msgid"):  # the header's msgid is empty
            found.append(fields)
    return found


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: f"{p.parts[-3]}-{p.stem}")
def test_every_message_is_translated_and_none_is_fuzzy(po):
    found = entries(po)
    assert found
    assert not [e["msgid"] for e in found if "fuzzy" in e["flags"]], "fuzzy entries: review them"
    untranslated = [e["msgid"] for e in found
                    if not all(value for key, value in e.items() if key.startswith("msgstr"))]
    assert not untranslated


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: f"{p.parts[-3]}-{p.stem}")
def test_the_committed_mo_is_the_po_compiled(po, tmp_path):
    if not shutil.which("msgfmt"):
        pytest.skip("msgfmt (GNU gettext) is not installed; the committed .mo files are used as they are")
    fresh = tmp_path / "fresh.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", str(fresh), str(po)], check=True)
    with open(po.with_suffix(".mo"), "rb") as committed, open(fresh, "rb") as compiled:
        assert gettext.GNUTranslations(committed)._catalog == gettext.GNUTranslations(compiled)._catalog
