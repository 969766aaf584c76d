"""Offsets in other tools' units, to and from ours (code points of the stored text): the one place an
annotation file's offsets are converted, both ways. The arithmetic is corpus.offsets.Utf16Index (UTF-16
code units) and corpus.graphemes.clusters (extended grapheme clusters, UAX #29: the tokenizer's rule).

- codepoints: Python's str indices, Label Studio's editor, our JSONL;
- utf16: JavaScript's string indices, doccano's editor with grapheme mode off (its default);
- graphemes: what a reader sees as one character (🇹🇷, 👍🏽, Ö written as O + ¨, CR LF), doccano's editor
  with grapheme mode on."""

from bisect import bisect_left

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from corpus.graphemes import clusters
from corpus.offsets import Utf16Index

OFFSET_UNITS = ("codepoints", "utf16", "graphemes")
# A person's names of the units, translated where they are said (unit_name).
UNIT_NAMES = {"codepoints": gettext_noop("code points"), "utf16": gettext_noop("UTF-16 code units"),
              "graphemes": gettext_noop("grapheme clusters")}


def unit_name(unit: str) -> str:
    return _(UNIT_NAMES[unit])


def _grapheme_starts(text: str) -> list[int] | None:
    """The code-point offset where each cluster starts, then len(text); None when each code point is one."""
    spans = clusters(text)
    return None if spans is None else [start for start, _end in spans] + [len(text)]


def to_code_points(unit: str, text: str):
    """A function from the file's offsets to code points, or None where every offset already is one (code
    points; UTF-16 in a text with no character outside the BMP; clusters in a text where each code point is
    one: the usual case, left to the set's own range check). An offset inside a character raises
    ValueError (anything that is not a whole number is passed on, to be refused with the record's other
    problems)."""
    if unit == "utf16":
        index = Utf16Index(text)
        if not index.has_astral:
            return None
        return lambda value: index.to_code_points(value) if type(value) is int else value
    if unit == "graphemes":
        starts = _grapheme_starts(text)
        if starts is None:
            return None

        def convert(value):
            if type(value) is not int or value < 0:
                return value
            # past the last cluster: as far past the text's end, so that the range check names it
            return starts[value] if value < len(starts) else len(text) + value - (len(starts) - 1)

        return convert
    return None


def from_code_points(unit: str, text: str):
    """start/end in code points (always between clusters: no stored span cuts one) → the file's unit."""
    if unit == "utf16":
        return Utf16Index(text).to_utf16
    if unit == "graphemes":
        starts = _grapheme_starts(text)
        if starts is not None:
            return lambda cp: bisect_left(starts, cp)
    return lambda cp: cp


def other_unit_hint(unit: str, text: str, start, end, expected: str) -> str:
    """For a span whose text does not match in `unit`: the unit in which the file's numbers read the
    expected text, as an option ("" when none does)."""
    for other in OFFSET_UNITS:
        if other == unit:
            continue
        forward = to_code_points(other, text)
        try:
            a, b = (start, end) if forward is None else (forward(start), forward(end))
        except ValueError:
            continue
        if type(a) is int and type(b) is int and text[a:b] == expected:
            return _("as %(unit)s it reads %(text)r: use offsets=%(other)s") % {
                "unit": unit_name(other), "text": expected, "other": other}
    return ""


def unit_hint(unit: str) -> str:
    """What to say beside an offset that does not fit: the unit it was read in, and the options for others."""
    others = _(" or ").join(f"offsets={u}" for u in OFFSET_UNITS if u != unit)
    return " " + _("(read as %(unit)s; if the file counts otherwise, import with %(others)s)") % {
        "unit": unit_name(unit), "others": others}


class OffsetProblem(str):
    """A record's problem when its offsets cannot be read in the chosen unit (one falls inside a character),
    carrying the text and the file's own numbers, so that importing.unit_fit can measure the other units."""

    def __new__(cls, message: str, text: str, raw: list[tuple[int, int]]):
        problem = super().__new__(cls, message)
        problem.text, problem.raw = text, raw
        return problem
