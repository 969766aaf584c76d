"""Offsets in a foreign tool's unit carried to code points (corpus.offsets is the one conversion)."""

from corpus.offsets import Utf16Index


def to_code_points(unit: str, text: str):
    """A function from the file's offsets to code points; an offset inside a character raises ValueError
    (anything that is not a whole number is passed on, to be refused with the record's other problems)."""
    if unit != "utf16":
        return lambda value: value
    index = Utf16Index(text)
    return lambda value: index.to_code_points(value) if type(value) is int else value
