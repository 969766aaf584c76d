"""Offsets in other tools' units, to and from ours (code points of the stored text): the one place an
annotation file's offsets are converted, both ways. The arithmetic itself is corpus.offsets.Utf16Index."""

from corpus.offsets import Utf16Index

OFFSET_UNITS = ("codepoints", "utf16")


def to_code_points(unit: str, text: str):
    """A function from the file's offsets to code points, or None where every offset already is one (code
    points, or UTF-16 in a text with no character outside the BMP: the usual case, left to the set's own
    range check). An offset inside a character raises ValueError (anything that is not a whole number is
    passed on, to be refused with the record's other problems)."""
    if unit != "utf16":
        return None
    index = Utf16Index(text)
    if not index.has_astral:
        return None
    return lambda value: index.to_code_points(value) if type(value) is int else value


def from_code_points(unit: str, text: str):
    """start/end in code points → the unit a file is written in."""
    if unit != "utf16":
        return lambda cp: cp
    return Utf16Index(text).to_utf16
