"""Other tools' formats, for people moving data to them.

doccano: its sequence-labelling JSONL, {"text", "label": [[start, end, label]]}; offsets are code points
(doccano's backend is Python). Entities and boilerplate go in; events have no place there.
Label Studio: its JSON task list with one annotation per set; `value.start`/`end` are UTF-16 code units,
since Label Studio's editor counts in JavaScript strings (an emoji is two)."""

import json

from corpus.offsets import Utf16Index

from .base import Writer


class DoccanoWriter(Writer):
    content_type = "application/x-ndjson; charset=utf-8"
    extension = "doccano.jsonl"

    def write(self, record) -> str:
        self.report.records += 1
        self.report.documents.add(record.document["id"])
        self.report.entities += len(record.entities)
        spans = sorted([*record.entities, *record.boilerplate], key=lambda s: (s.start, -s.end))
        line = {
            "id": record.document["id"],
            "text": record.document["text"],
            "label": [[s.start, s.end, s.label] for s in spans],
            "annotator": record.annotator,
            "external_id": record.document["external_id"],
        }
        return json.dumps(line, ensure_ascii=False) + "\n"


class LabelStudioWriter(Writer):
    content_type = "application/json; charset=utf-8"
    extension = "labelstudio.json"

    def __init__(self, options, report):
        super().__init__(options, report)
        self.first = True

    def header(self) -> str:
        return "["

    def footer(self) -> str:
        return "]\n"

    def write(self, record) -> str:
        self.report.records += 1
        self.report.documents.add(record.document["id"])
        self.report.entities += len(record.entities)
        text = record.document["text"]
        index = Utf16Index(text)
        result = [
            {
                "id": span.id[:10] if span.id else f"b{n}",
                "from_name": "label",
                "to_name": "text",
                "type": "labels",
                "value": {"start": index.to_utf16(span.start), "end": index.to_utf16(span.end), "text": span.text,
                          "labels": [span.label]},
            }
            for n, span in enumerate([*record.entities, *record.boilerplate])
        ]
        task = {
            "data": {"text": text, "external_id": record.document["external_id"]},
            "annotations": [{"completed_by": record.annotator, "result": result}],
        }
        piece = ("" if self.first else ",\n") + json.dumps(task, ensure_ascii=False)
        self.first = False
        return piece
