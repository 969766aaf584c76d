"""How the suggesters compare text: case-folded the Turkish way where the document is Turkish (İ → i,
I → ı, so "RUSYA" is "rusya" and "IRAK" is "ırak"), typographic apostrophes as ', runs of whitespace as one
space. A line is compared by a hash of its folded text."""

import hashlib

TURKIC = frozenset({"tr", "az"})
APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "`": "'", "´": "'"})
TURKIC_CAPITALS = str.maketrans({"İ": "i", "I": "ı"})


def fold(text: str, language: str = "") -> str:
    if language in TURKIC:
        text = text.translate(TURKIC_CAPITALS)
    return " ".join(text.translate(APOSTROPHES).lower().split())


def fold_keeping_length(text: str, language: str = "") -> str | None:
    """fold's case and apostrophes over a whole text at once, whitespace left as it is, when that keeps every
    offset (None when lowering changed a character's length, as "İ" outside Turkish text does)."""
    if language in TURKIC:
        text = text.translate(TURKIC_CAPITALS)
    folded = text.translate(APOSTROPHES).lower()
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
