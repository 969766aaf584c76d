"""Which offset unit a file was written in, measured before anything is written (#30): a doccano file read
in the wrong unit carries no span text to betray it, and every span after an emoji would be stored shifted
("ra'da " for "Ankara").

Only texts where the units disagree tell them apart (a character outside the BMP, an emoji sequence, a
letter with a combining mark, CR LF); in the others every unit gives the same offsets. In the first such
texts of the file (SAMPLE_SPANS spans at most, among the first SAMPLE_RECORDS records), the spans are
read in each unit and counted when both edges fall on token edges of the text (the tokenizer's). When the
chosen unit fits clearly worse than another, the import is refused with both figures and the option that
reads the file right; otherwise the report says which unit it used and how well it fitted."""

from dataclasses import dataclass, field, replace

from annotate.interop.units import OFFSET_UNITS, UNIT_NAMES
from corpus.graphemes import has_joining
from corpus.tokens import tokenize

SAMPLE_RECORDS = 5_000
SAMPLE_SPANS = 2_000
CLEARLY = 0.1  # a unit fits clearly better when it fits this share of the spans more (and 3 spans at least)


def units_differ(text: str) -> bool:
    """Whether some offset in the text counts differently in another unit: a character outside the BMP
    (two UTF-16 code units; the encoded length says so in C), or one that joins a cluster."""
    return not text.isascii() and (len(text.encode("utf-16-le", "surrogatepass")) != 2 * len(text)
                                   or has_joining(text))


@dataclass
class UnitFit:
    unit: str
    texts: int = 0  # texts of the sample where the units differ
    spans: int = 0
    fits: dict[str, int] = field(default_factory=dict)  # unit -> spans on token edges

    def better(self) -> str | None:
        """The unit that fits clearly better than the chosen one, or None."""
        best = max(self.fits, key=lambda u: (self.fits[u], u == self.unit))
        margin = self.fits[best] - self.fits[self.unit]
        return best if best != self.unit and margin >= max(3, CLEARLY * self.spans) else None

    def figures(self, first: str) -> str:
        order = [first, *[u for u in OFFSET_UNITS if u != first]]
        return ", ".join(f"{self.fits[u]} as {UNIT_NAMES[u]}" if i else
                         f"{self.fits[u]} of {self.spans} spans fit token edges as {UNIT_NAMES[u]}"
                         for i, u in enumerate(order))

    def problem(self) -> str:
        best = self.better()
        return (f"the offsets do not look like {UNIT_NAMES[self.unit]}: in the {self.texts} texts where the "
                f"units differ, {self.figures(best)}: use offsets={best}")

    def note(self, own: str) -> str:
        said = f"offsets read as {UNIT_NAMES[self.unit]}" + (" (the tool's own unit)" if self.unit == own else "")
        if not self.texts:
            return f"{said}; no text has a character on which the units differ"
        return f"{said}: in the {self.texts} texts where the units differ, {self.figures(self.unit)}"


def _edges(text: str) -> tuple[set[int], set[int]]:
    tokens, _sentences = tokenize(text, "tr")
    return {start for start, _end in tokens}, {end for _start, end in tokens}


def _sample(reader, stream, options, unit: str, numbers: set[int] | None, last: int):
    """(record number, text, spans) of the sampled records read in `unit`; spans None where the unit cannot
    read the record at all. `numbers` None: find the records whose text tells the units apart."""
    stream.seek(0)
    taken = spans = 0
    for index, (number, record) in enumerate(reader.read(stream, replace(options, offsets=unit))):
        if index >= SAMPLE_RECORDS or (numbers is not None and number > last):
            return
        text = record.get("text") if type(record) is dict else None
        if numbers is None:
            if type(text) is not str or not units_differ(text):
                continue
            items = [*record.get("entities", []), *record.get("boilerplate", [])]
            taken, spans = taken + 1, spans + len(items)
            yield number, text, items
            if spans >= SAMPLE_SPANS:
                return
        elif number in numbers:
            yield number, text, (None if type(record) is not dict else
                                 [*record.get("entities", []), *record.get("boilerplate", [])])


def unit_fit(reader, stream, options, unit: str) -> UnitFit:
    """How well the file's spans fit token edges in each unit (`unit` the one chosen). The sample is found
    reading code points, the one unit in which no offset can fall inside a character (so that a record the
    chosen unit cannot read at all is in the sample too); the other units read the same records again."""
    fit = UnitFit(unit=unit, fits=dict.fromkeys(OFFSET_UNITS, 0))
    start = stream.tell()
    try:
        sample = list(_sample(reader, stream, options, "codepoints", None, 0))
        if not sample:
            return fit
        fit.texts = len({number for number, _text, _items in sample})
        fit.spans = sum(len(items) for _n, _t, items in sample)
        edges = {}
        numbers, last = {n for n, _t, _i in sample}, max(n for n, _t, _i in sample)
        for other in OFFSET_UNITS:
            rows = sample if other == "codepoints" else _sample(reader, stream, options, other, numbers, last)
            for _number, text, items in rows:
                if items is None or type(text) is not str:
                    continue
                starts, ends = edges.get(text) or edges.setdefault(text, _edges(text))
                fit.fits[other] += sum(1 for item in items if type(item) is dict
                                       and item.get("start") in starts and item.get("end") in ends)
        return fit
    finally:
        stream.seek(start)
