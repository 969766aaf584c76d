"""How the suggesters compare text: case-folded the Turkish way where the document is Turkish (İ → i,
I → ı, so "RUSYA" is "rusya" and "IRAK" is "ırak"), typographic apostrophes as ', runs of whitespace as one
space. A line is compared by a hash of its folded text."""

import hashlib

TURKIC = frozenset({"tr", "az"})
APOSTROPHE_FORMS = ("’", "ʼ", "`", "´")


def _swap(text: str, language: str) -> str:
    """Turkish capitals and typographic apostrophes, by str.replace: a translate table goes through a
    mapping lookup per character, ten times slower over a whole article."""
    if language in TURKIC and ("İ" in text or "I" in text):
        text = text.replace("İ", "i").replace("I", "ı")
    for quote in APOSTROPHE_FORMS:
        if quote in text:
            text = text.replace(quote, "'")
    return text


def fold(text: str, language: str = "") -> str:
    return " ".join(_swap(text, language).lower().split())


def fold_keeping_length(text: str, language: str = "") -> str | None:
    """fold's case and apostrophes over a whole text at once, whitespace left as it is, when that keeps every
    offset (None when lowering changed a character's length, as "İ" outside Turkish text does)."""
    folded = _swap(text, language).lower()
    return folded if len(folded) == len(text) else None


def first_word(key: str) -> str:
    """What a gazetteer entry is looked up by: its key up to the first space."""
    return key.split(" ", 1)[0]


def line_hash(text: str, language: str = "") -> str:
    return hashlib.blake2b(fold(text, language).encode(), digest_size=16).hexdigest()


def lines_of(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line's text without its surrounding whitespace; empty lines left out."""
    out, position = [], 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            start = position + (len(line) - len(line.lstrip()))
            out.append((start, start + len(stripped)))
        position += len(line) + 1
    return out
