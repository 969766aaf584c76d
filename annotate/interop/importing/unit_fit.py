"""Which offset unit a file was written in, measured as it is read (#30): a doccano file read in the wrong
unit carries no span text to betray it, and every span after an emoji would be stored shifted ("ra'da "
for "Ankara").

Only texts where the units disagree tell them apart (a character outside the BMP, an emoji sequence, a
letter with a combining mark, CR LF); in the others every unit gives the same offsets. In the first
SAMPLE_TEXTS such texts, each span read in the chosen unit is taken back to the file's number and read
again in every other unit (the conversions are exact both ways), and counted when both edges fall on token
edges of the text (the tokenizer's). When the chosen unit fits clearly worse than another, the import
refuses the file, with both figures and the option that reads it right, and nothing it read is kept (the
import is one transaction); otherwise the report says which unit it used and how well it fitted."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from annotate.interop.units import OFFSET_UNITS, OffsetProblem, from_code_points, to_code_points, unit_name
from corpus.graphemes import has_joining
from corpus.tokens import tokenize

SAMPLE_TEXTS = 100
CLEARLY = 0.1  # a unit fits clearly better when it fits this share of the spans more (and 2 spans at least)


def units_differ(text: str) -> bool:
    """Whether some offset in the text counts differently in another unit: a character outside the BMP
    (two UTF-16 code units; the encoded length says so in C), or one that joins a cluster."""
    return not text.isascii() and (len(text.encode("utf-16-le", "surrogatepass")) != 2 * len(text)
                                   or has_joining(text))


@dataclass
class UnitFit:
    unit: str
    texts: int = 0  # texts measured, where the units differ
    spans: int = 0
    fits: dict[str, int] = field(default_factory=dict)  # unit -> spans on token edges

    def better(self) -> str | None:
        """The unit that fits clearly better than the chosen one, or None."""
        best = max(self.fits, key=lambda u: (self.fits[u], u == self.unit))
        margin = self.fits[best] - self.fits[self.unit]
        return best if best != self.unit and margin >= max(2, CLEARLY * self.spans) else None

    def figures(self, first: str) -> str:
        order = [first, *[u for u in OFFSET_UNITS if u != first]]
        return ", ".join((_("%(fit)s as %(unit)s") if i else
                          _("%(fit)s of %(spans)s spans fit token edges as %(unit)s")) % {
            "fit": self.fits[u], "spans": self.spans, "unit": unit_name(u)} for i, u in enumerate(order))

    def problem(self) -> str:
        best = self.better()
        return _("the offsets do not look like %(unit)s: in the %(sets)s sets where the units differ, "
                 "%(figures)s: use offsets=%(best)s") % {
            "unit": unit_name(self.unit), "sets": self.texts, "figures": self.figures(best), "best": best}

    def note(self, own: str) -> str:
        said = (_("offsets read as %(unit)s (the tool's own unit)") if self.unit == own else
                _("offsets read as %(unit)s")) % {"unit": unit_name(self.unit)}
        if not self.texts:
            return said + "; " + _("no text has a character on which the units differ")
        return said + ": " + _("in the %(sets)s sets where the units differ, %(figures)s") % {
            "sets": self.texts, "figures": self.figures(self.unit)}


class UnitWatch:
    """Passes a reader's records on unchanged, measuring the fit of each unit on the first texts that tell
    them apart (its `fit`)."""

    def __init__(self, unit: str):
        self.fit = UnitFit(unit=unit, fits=dict.fromkeys(OFFSET_UNITS, 0))

    def __call__(self, records):
        for number, record in records:
            if self.fit.texts < SAMPLE_TEXTS:
                if type(record) is OffsetProblem:  # the chosen unit could not read it: the file's own numbers
                    self._measure(record.text, record.raw)
                elif type(record) is dict and type(record.get("text")) is str and units_differ(record["text"]):
                    items = [*(record.get("entities") or ()), *(record.get("boilerplate") or ())]
                    spans = [(i.get("start"), i.get("end")) for i in items if type(i) is dict]
                    back = from_code_points(self.fit.unit, record["text"])  # code points → the file's numbers
                    text = record["text"]
                    self._measure(text, [(back(a), back(b)) for a, b in spans if type(a) is int and type(b) is int
                                         and 0 <= a <= b <= len(text)])
            yield number, record

    def _measure(self, text: str, raw: list[tuple[int, int]]) -> None:
        """Count, in each unit, the spans whose file numbers `raw` land on token edges of `text`."""
        if not raw or not units_differ(text):
            return
        self.fit.texts += 1
        self.fit.spans += len(raw)
        tokens, _sentences = tokenize(text, "tr")
        starts, ends = {a for a, _b in tokens}, {b for _a, b in tokens}
        for unit in OFFSET_UNITS:
            forward = to_code_points(unit, text)
            for a, b in raw:
                try:
                    if forward is not None:
                        a, b = forward(a), forward(b)
                except ValueError:  # the number falls inside a character in that unit
                    continue
                self.fit.fits[unit] += a in starts and b in ends
