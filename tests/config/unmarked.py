"""What a person reads in a template but no translator was asked for: the text between tags and the values
of the attributes that are read out or shown (title, aria-label, placeholder, alt…), outside
{% translate %} and {% blocktranslate %}, as tests/config/test_translations.py checks them."""

import re
from html.parser import HTMLParser

from django.template.base import Lexer, TokenType

READ_ATTRIBUTES = {"title", "aria-label", "placeholder", "alt", "aria-roledescription", "aria-valuetext",
                   "hx-confirm", "data-confirm"}
# Words no language translates: names of formats, tools, units and the product.
UNTRANSLATED = {"Haber", "JSONL", "JSON", "CoNLL", "CoNLL-U", "spaCy", "DocBin", "API", "CSV", "SHA-256", "SHA",
                "IOB2", "IOB", "F1", "OpenAPI", "URL", "Label Studio", "doccano", "brat", "INCEpTION", "XMI", "UTF-8",
                "UTF-16", "ID", "ms", "MiB", "KB", "MB", "GB", "tar.gz", ".txt", "Swagger", "Hugging Face", "zip", "BIO", "BILOU", "PDF",
                "htmx", "Türkçe", "Shqip", "English", "Esc", "Enter", "Shift", "Tab", "Ctrl", "Alt", "OK"}
_WORD = re.compile(r"[^\W\d_]{2,}")
_HOLE = " "


def _filled(template: str) -> str:
    """The template's HTML with every {{ variable }}, {% tag %} and translated text replaced by a hole."""
    out, translating, skipping = [], 0, 0
    for token in Lexer(template).tokenize():
        contents = token.contents.split()
        name = contents[0] if contents else ""
        if token.token_type == TokenType.BLOCK:
            if name in ("blocktranslate", "blocktrans"):
                translating += 1
            elif name in ("endblocktranslate", "endblocktrans"):
                translating -= 1
            elif name in ("comment", "verbatim"):
                skipping += 1
            elif name in ("endcomment", "endverbatim"):
                skipping -= 1
            out.append(_HOLE)
        elif token.token_type == TokenType.TEXT and not translating and not skipping:
            out.append(token.contents)
        else:
            out.append(_HOLE)
    return "".join(out)


def _words(text: str) -> str:
    text = text.replace(_HOLE, " ")
    for word in sorted(UNTRANSLATED, key=len, reverse=True):
        text = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", " ", text)
    return " ".join(text.split()) if _WORD.search(text) else ""


def _example(value: str) -> bool:
    """A placeholder that shows a value to type, not words to read: "tr", "PER,ORG", "cc-by-4.0"."""
    value = value.strip()
    return " " not in value and (len(value) <= 3 or value.isupper() or any(c.isdigit() or c == "," for c in value))


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found, self.quiet = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.quiet += 1
        for name, value in attrs:
            if name in READ_ATTRIBUTES and value and not _example(value) and (words := _words(value)):
                self.found.append(f'{tag} {name}="{words}"')

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.quiet = max(0, self.quiet - 1)

    def handle_data(self, data):
        if not self.quiet and (words := _words(data)):
            self.found.append(words)


def unmarked(template: str) -> list[str]:
    """The texts of `template` (its source) that a person reads and that are not marked for translation."""
    reader = _Reader()
    reader.feed(_filled(template))
    reader.close()
    return reader.found


_SCRIPT_STRING = re.compile(r'"((?:[^"\\\n]|\\.)*)"|\'((?:[^\'\\\n]|\\.)*)\'|`((?:[^`\\]|\\.)*)`')
_COMMENT = re.compile(r"^\s*//[^\n]*$|/\*.*?\*/", re.M | re.S)
_MARKING_CALL = re.compile(r"(?:\b_|gettext|ngettext|pgettext|npgettext)\(\s*$")
_PROSE = re.compile(r"^[A-Z“‘(%][^\s]*\s")  # a capitalised word followed by more: prose, or its beginning


def unmarked_script(source: str) -> list[str]:
    """The string literals of a script that read as prose (a capitalised word, then more) and are not the
    argument of gettext (`_`), ngettext and friends."""
    code = _COMMENT.sub("", source)
    found, marked, end = [], False, 0
    for match in _SCRIPT_STRING.finditer(code):
        text = next(group for group in match.groups() if group is not None)
        before = code[max(0, match.start() - 12) : match.start()]
        # ngettext's plural follows its singular after a comma
        marked = bool(_MARKING_CALL.search(before)) or (marked and re.fullmatch(r",\s*", code[end : match.start()]))
        end = match.end()
        if _PROSE.match(text) and _WORD.search(text) and not marked:
            found.append(text)
    return found
