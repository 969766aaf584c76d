"""doccano's sequence-labelling JSON Lines: one {"text", "label": [[start, end, label]]} per line, offsets in
UTF-16 code units (what doccano's editor stores with grapheme mode off, its default: see
../shared/external/interop/) unless the options name code points. A label named like one of the project's
boilerplate labels is boilerplate; others are entities.

Out: the same shape; entities and boilerplate go in, events have no place there."""

from django.utils.translation import gettext_noop

from annotate.interop.formats.reading import Reader, json_records, split_boilerplate
from annotate.interop.formats.writing import Writer, json_line
from annotate.interop.units import OffsetProblem, from_code_points, to_code_points, unit_hint

UNIT = "utf16"  # the default offset unit, as doccano's editor counts (JavaScript string indices)


class DoccanoReader(Reader):
    name = "doccano"
    description = "doccano sequence labelling (JSONL, label: [[start, end, name]])"
    own_unit = UNIT

    def read(self, stream, options):
        for number, record in json_records(stream, gettext_noop("not a doccano record: ")):
            if isinstance(record, str):
                yield number, record
                continue
            labels = record.get("label", [])
            if not isinstance(labels, list) or not all(isinstance(item, list) and len(item) == 3 for item in labels):
                yield number, f"line {number}: not a doccano record: `label` must be a list of [start, end, label]"
                continue
            convert = to_code_points(options.offsets or UNIT, record["text"])
            try:
                spans = ([{"start": s, "end": e, "label": lab} for s, e, lab in labels] if convert is None else
                         [{"start": convert(s), "end": convert(e), "label": lab} for s, e, lab in labels])
            except ValueError as error:
                raw = [(s, e) for s, e, _lab in labels if type(s) is int and type(e) is int]
                yield number, OffsetProblem(f"line {number}: {error}{unit_hint(options.offsets or UNIT)}",
                                            record["text"], raw)
                continue
            # doccano's own `id` is its database row, not the document's: kept in meta, never as our id.
            meta = {"doccano_id": record["id"]} if "id" in record else {}
            yield number, {"text": record["text"], "external_id": str(record.get("external_id") or ""),
                           "meta": meta, **split_boilerplate(spans, options.boilerplate_names, list_name="label")}


def overlapping_dropped(spans) -> int:
    """How many of these spans (sorted by start, the longer first) a doccano project with "Allow overlapping
    spans" off drops on import: in order of start, it keeps each span that begins at or after the end of
    the last one it kept, and drops the others without a word."""
    dropped, kept_end = 0, -1
    for span in spans:
        if span.start < kept_end:
            dropped += 1
        else:
            kept_end = span.end
    return dropped


class DoccanoWriter(Writer):
    content_type = "application/x-ndjson; charset=utf-8"
    extension = "jsonl"

    def __init__(self, options, report):
        super().__init__(options, report)
        self.report.doccano_overlapping_dropped = 0

    def write(self, record) -> str:
        self.report.count(record)
        spans = sorted([*record.entities, *record.boilerplate], key=lambda s: (s.start, -s.end))
        self.report.doccano_overlapping_dropped += overlapping_dropped(spans)
        unit = from_code_points(self.options.offsets or UNIT, record.document["text"])
        line = {
            "id": record.document["id"],
            "text": record.document["text"],
            "label": [[unit(s.start), unit(s.end), s.label] for s in spans],
            "annotator": record.annotator,
            "external_id": record.document["external_id"],
        }
        return json_line(line)
