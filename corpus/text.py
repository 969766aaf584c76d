"""The text contract: what we store is exactly this normalization of what came in, and nothing more.

Stored text is Unicode NFC with LF line endings and no byte-order mark. Everything else, boilerplate
included, stays, because it is to be annotated. Offsets everywhere are code points, end-exclusive, into
the stored text.
"""

import hashlib
import json
import unicodedata
from collections.abc import Sequence

from django.utils.formats import number_format
from django.utils.translation import gettext, gettext_noop

BOM = "\ufeff"


def normalize_text(text: str) -> str:
    """NFC, CRLF and lone CR to LF, no leading BOM (not even a doubled one). Idempotent."""
    text = text.lstrip(BOM)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def _segments(text: str, start: int):
    """(start, end) of the pieces normalize_text treats alone: a CRLF, a lone CR, or a character that does
    not combine with what precedes it (combining class 0) with the combining marks that follow it."""
    n, i = len(text), start
    while i < n:
        j = i + 1
        if text[i] == "\r":
            j = i + 2 if text[i + 1 : i + 2] == "\n" else i + 1
        else:
            while j < n and unicodedata.combining(text[j]):
                j += 1
        yield i, j
        i = j


def _normalize_piece(piece: str) -> str:
    return unicodedata.normalize("NFC", piece.replace("\r\n", "\n").replace("\r", "\n"))


def normalize_text_mapped(text: str) -> tuple[str, Sequence[int | None]]:
    """normalize_text(text), and where each input offset lands in it: mapping[i] for i in 0..len(text) is
    the offset in the normalized text, or None when i falls inside a sequence that normalization changed
    (between a letter and the mark NFC joined to it, between CR and LF). Offsets in an annotation file
    refer to the file's text; this carries them onto the stored one."""
    if not text.startswith(BOM) and "\r" not in text and unicodedata.is_normalized("NFC", text):
        return text, range(len(text) + 1)  # already normal (the usual case): every offset stays
    target = normalize_text(text)
    mapping: list[int | None] = [None] * (len(text) + 1)
    begin = len(text) - len(text.lstrip(BOM))
    for i in range(begin + 1):
        mapping[i] = 0
    groups: list[list[int]] = []  # [start, end] of runs normalized together
    for a, b in _segments(text, begin):
        # Two pieces stay apart only where normalizing them apart gives what normalizing them together does
        # (not so for, e.g., Hangul jamo, which compose across combining class 0).
        if groups and _normalize_piece(text[groups[-1][0] : b]) != (
            _normalize_piece(text[groups[-1][0] : groups[-1][1]]) + _normalize_piece(text[a:b])
        ):
            groups[-1][1] = b
        else:
            groups.append([a, b])
    position, parts = 0, []
    for a, b in groups:
        piece = text[a:b]
        normal = _normalize_piece(piece)
        mapping[a] = position
        if normal == piece:
            for k in range(a + 1, b):
                mapping[k] = position + (k - a)
        parts.append(normal)
        position += len(normal)
    mapping[len(text)] = position
    if "".join(parts) != target:  # a composition across pieces that the grouping missed: ends only
        mapping = [0] * (begin + 1) + [None] * (len(text) - begin - 1) + [len(target)]
    return target, mapping


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def is_blank(text: str) -> bool:
    """True for empty text and text made only of whitespace (NBSP, thin space and newlines included)."""
    return not text or text.isspace()


def unstorable(text: str) -> str:
    """Why no database can store this text (a NUL character: PostgreSQL refuses it in text), or "". The
    JSON and plain-text readers refuse such files already; a binary format (spaCy's DocBin) or a token
    file can still bring one."""
    return gettext_noop("the text contains a NUL character (\\u0000), which cannot be stored") if "\x00" in text else ""


def derive_title(text: str, limit: int = 160) -> str:
    """A display title for documents that bring none: the first non-blank line, shortened."""
    for line in text.split("\n"):
        line = " ".join(line.split())
        if line:
            return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"
    return ""


def lone_surrogate(value) -> str | None:
    """The first lone UTF-16 surrogate in a decoded JSON value (strings and keys), written as an escape
    ("\\ud800"), or None. JSON may escape half a surrogate pair and Python decodes it to a lone surrogate,
    which is not a character: no database stores it and no tokenizer reads it."""
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as exc:
        return f"\\u{ord(exc.object[exc.start]):04x}"
    return None


def lone_surrogate_message(escape: str) -> str:
    return gettext("%(escape)s is half of a UTF-16 surrogate pair without its other half, not a character") % {
        "escape": escape}


def grouped(number) -> str:
    """A number for a person, grouped the way of the active language: 1,200 in English, 1.200 in Turkish and
    Albanian."""
    return number_format(number, force_grouping=True)
