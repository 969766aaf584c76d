"""Our own JSON Lines, as the export writes it: offsets in code points of `text`.

Our JSON Lines: one annotation set per line, full fidelity (docs/formats.md, docs/export.schema.json)."""

from annotate.interop.formats.reading import Reader, json_records
from annotate.interop.formats.writing import Writer, json_line
from annotate.interop.units import from_code_points

UNIT = "codepoints"  # utf16 adds start16 and end16 beside them, graphemes start_graphemes and end_graphemes
EXTRA = {"utf16": ("start16", "end16"), "graphemes": ("start_graphemes", "end_graphemes")}


class JsonlReader(Reader):
    name = "jsonl"
    description = "our JSON Lines (what the jsonl export writes)"

    def read(self, stream, options):
        for number, record in json_records(stream):
            if type(record) is dict and any(key.startswith("_") for key in record):
                # keys of this form are what readers tell the import (a set's author, its place): never a file's
                record = {key: value for key, value in record.items() if not key.startswith("_")}
            yield number, record


class JsonlWriter(Writer):
    content_type = "application/x-ndjson; charset=utf-8"
    extension = "jsonl"

    def write(self, record) -> str:
        self.report.count(record)
        unit = self.options.offsets
        other = from_code_points(unit, record.document["text"]) if unit in EXTRA else None

        def offsets(start, end) -> dict:
            base = {"start": start, "end": end}
            if other is not None:
                first, last = EXTRA[unit]
                base[first], base[last] = other(start), other(end)
            return base

        line = {
            **record.document,
            "annotators": record.annotators,
            "source": record.source,
            "split": record.split,
            "entities": [
                {"id": s.id, **offsets(s.start, s.end), "label": s.label, "text": s.text,
                 **({"origin": s.origin} if s.origin else {})}
                for s in record.entities
            ],
            "events": [
                {
                    "id": e["id"],
                    "type": e["type"],
                    "trigger": {
                        **offsets(e["trigger"]["start"], e["trigger"]["end"]),
                        "text": e["trigger"]["text"],
                    },
                    "arguments": e["arguments"],
                    **({"origin": e["origin"]} if e.get("origin") else {}),
                }
                for e in record.events
            ],
            "boilerplate": [
                {**offsets(s.start, s.end), "label": s.label, "text": s.text, **({"origin": s.origin} if s.origin else {})}
                for s in record.boilerplate
            ],
        }
        return json_line(line)
