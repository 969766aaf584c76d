"""The translations (#32): every message of the Turkish and Albanian catalogues translated, none left fuzzy
(a fuzzy entry is makemessages' guess, and a wrong one: "Welcome" once became "Log out"), and the
committed .mo files say what the .po files say (msgfmt compiles them afresh here when it is installed)."""

import ast
import gettext
import re
import shutil
import subprocess
from collections import Counter
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


PLACEHOLDER = re.compile(r"%\(\w+\)[sdrf]|\{\w+\}")


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: f"{p.parts[-3]}-{p.stem}")
def test_no_translation_uses_a_placeholder_more_often_than_its_source(po):
    """A translation that says its message twice, or a placeholder its source lacks (msgfmt's format
    check lets a repeat through): an edited entry whose old translation was left on a continuation line."""
    wrong = []
    for e in entries(po):
        source = Counter(PLACEHOLDER.findall(e["msgid"] + e.get("msgid_plural", "")))
        for key, value in e.items():
            if key.startswith("msgstr"):
                used = Counter(PLACEHOLDER.findall(value))
                if any(count > source[name] for name, count in used.items()):
                    wrong.append((e["msgid"], value))
    assert not wrong


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: f"{p.parts[-3]}-{p.stem}")
def test_the_committed_mo_is_the_po_compiled(po, tmp_path):
    if not shutil.which("msgfmt"):
        pytest.skip("msgfmt (GNU gettext) is not installed; the committed .mo files are used as they are")
    fresh = tmp_path / "fresh.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", str(fresh), str(po)], check=True)
    with open(po.with_suffix(".mo"), "rb") as committed, open(fresh, "rb") as compiled:
        assert gettext.GNUTranslations(committed)._catalog == gettext.GNUTranslations(compiled)._catalog


TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


@pytest.mark.parametrize("template", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_every_text_a_person_reads_in_a_template_is_marked_for_translation(template):
    from tests.config.unmarked import unmarked

    assert unmarked(template.read_text(encoding="utf-8")) == [], (
        "not marked for translation: wrap it in {% translate %} or {% blocktranslate %}")


@pytest.mark.parametrize("source, found", [
    ("<p>Hello</p>", ["Hello"]),
    ('<button title="Close the menu">×</button>', ['button title="Close the menu"']),
    ("<p>{% translate 'Hello' %} {{ name }}</p>", []),
    ("<p>{% blocktranslate %}Hello {{ name }}{% endblocktranslate %}</p>", []),
    ("{% comment %}<p>Notes for developers</p>{% endcomment %}<p>{{ n }} · JSONL</p>", []),
    ('<input placeholder="PER,ORG"><script>const label = "Hello";</script>', []),
    ("<tr {% if x %}class=\"retired\"{% endif %}><td>{{ x }}</td></tr><p>{{ a }} of {{ b }}</p>", ["of"]),
])
def test_the_check_finds_unmarked_text_and_nothing_else(source, found):
    from tests.config.unmarked import unmarked

    assert unmarked(source) == found


SCRIPTS = Path(__file__).resolve().parents[2] / "static" / "js"


@pytest.mark.parametrize("script", sorted(SCRIPTS.glob("*.js")), ids=lambda p: p.name)
def test_every_sentence_a_script_shows_is_marked_for_translation(script):
    from tests.config.unmarked import unmarked_script

    assert unmarked_script(script.read_text(encoding="utf-8")) == [], "not marked: wrap it in _() or ngettext()"


def test_the_script_check_finds_prose_outside_gettext():
    from tests.config.unmarked import unmarked_script

    source = ('el.textContent = "Hello world"; a = _("Fine words"); b = ngettext("One mark",\n  "Two marks", n);\n'
              '// "A comment, not shown"\nel.closest(".line"); key === "ArrowRight"; say("Selected " + word);')
    assert unmarked_script(source) == ["Hello world", "Selected "]
