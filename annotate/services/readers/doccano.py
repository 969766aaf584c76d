"""doccano's sequence-labelling JSON Lines: one {"text", "label": [[start, end, label]]} per line, offsets in
UTF-16 code units (what doccano's editor stores with grapheme mode off, its default: see
../shared/external/interop/) unless the options name code points. A label named like one of the project's
boilerplate labels is boilerplate; others are entities."""

from .base import Reader, json_records, split_boilerplate
from .units import to_code_points

DEFAULT_OFFSETS = "utf16"


class DoccanoReader(Reader):
    name = "doccano"
    description = "doccano sequence labelling (JSONL, label: [[start, end, name]])"

    def read(self, stream, options):
        for number, record in json_records(stream, "not a doccano record: "):
            if isinstance(record, str):
                yield number, record
                continue
            labels = record.get("label", [])
            if not isinstance(labels, list) or not all(isinstance(item, list) and len(item) == 3 for item in labels):
                yield number, f"line {number}: not a doccano record: `label` must be a list of [start, end, label]"
                continue
            convert = to_code_points(options.offsets or DEFAULT_OFFSETS, record["text"])
            try:
                spans = ([{"start": s, "end": e, "label": lab} for s, e, lab in labels] if convert is None else
                         [{"start": convert(s), "end": convert(e), "label": lab} for s, e, lab in labels])
            except ValueError as error:
                yield number, f"line {number}: {error}"
                continue
            # doccano's own `id` is its database row, not the document's: kept in meta, never as our id.
            meta = {"doccano_id": record["id"]} if "id" in record else {}
            yield number, {"text": record["text"], "external_id": str(record.get("external_id") or ""),
                           "meta": meta, **split_boilerplate(spans, options.boilerplate_names)}
