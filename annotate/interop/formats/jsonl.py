"""Our own JSON Lines, as the export writes it: offsets in code points of `text`.

Our JSON Lines: one annotation set per line, full fidelity (docs/formats.md, docs/export.schema.json)."""

from annotate.interop.formats.reading import Reader, json_records
from annotate.interop.formats.writing import Writer, json_line
from corpus.offsets import Utf16Index

UNIT = "codepoints"  # utf16 adds start16 and end16 beside them


class JsonlReader(Reader):
    name = "jsonl"
    description = "our JSON Lines (what the jsonl export writes)"

    def read(self, stream, options):
        return json_records(stream)


class JsonlWriter(Writer):
    content_type = "application/x-ndjson; charset=utf-8"
    extension = "jsonl"

    def write(self, record) -> str:
        self.report.count(record)
        index = Utf16Index(record.document["text"]) if self.options.offsets == "utf16" else None

        def offsets(start, end) -> dict:
            base = {"start": start, "end": end}
            if index is not None:
                base.update(start16=index.to_utf16(start), end16=index.to_utf16(end))
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
