"""Other tools' formats, for people moving data to them, in each tool's own offset unit (seen in the tools
themselves: ../shared/external/interop/, read back by the tests).

doccano: its sequence-labelling JSONL, {"text", "label": [[start, end, label]]}; offsets are UTF-16 code
units by default, as doccano's editor counts them (JavaScript string indices; grapheme mode off).
Entities and boilerplate go in; events have no place there.
Label Studio: its JSON task list with one annotation per set; `value.start`/`end` are code points, as Label
Studio's editor stores them. No `completed_by` (Label Studio refuses a name there); the annotator goes in
`data`, which it keeps as it is. `offsets=codepoints|utf16` chooses the other unit for either tool."""


from corpus.offsets import Utf16Index

from .base import Writer, json_line

DEFAULT_OFFSETS = {"doccano": "utf16", "labelstudio": "codepoints"}


def offset_converter(unit: str, text: str):
    """start/end in code points → the unit a file is written in."""
    if unit != "utf16":
        return lambda cp: cp
    return Utf16Index(text).to_utf16


class DoccanoWriter(Writer):
    content_type = "application/x-ndjson; charset=utf-8"
    extension = "jsonl"

    def write(self, record) -> str:
        self.report.records += 1
        self.report.documents.add(record.document["id"])
        self.report.entities += len(record.entities)
        spans = sorted([*record.entities, *record.boilerplate], key=lambda s: (s.start, -s.end))
        unit = offset_converter(self.options.offsets or DEFAULT_OFFSETS["doccano"], record.document["text"])
        line = {
            "id": record.document["id"],
            "text": record.document["text"],
            "label": [[unit(s.start), unit(s.end), s.label] for s in spans],
            "annotator": record.annotator,
            "external_id": record.document["external_id"],
        }
        return json_line(line)


class LabelStudioWriter(Writer):
    content_type = "application/json; charset=utf-8"
    extension = "json"

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
        unit = offset_converter(self.options.offsets or DEFAULT_OFFSETS["labelstudio"], text)
        result = [
            {
                "id": span.id[:10] if span.id else f"b{n}",
                "from_name": "label",
                "to_name": "text",
                "type": "labels",
                "value": {"start": unit(span.start), "end": unit(span.end), "text": span.text,
                          "labels": [span.label]},
            }
            for n, span in enumerate([*record.entities, *record.boilerplate])
        ]
        task = {
            "data": {"text": text, "external_id": record.document["external_id"], "annotator": record.annotator},
            "annotations": [{"result": result}],
        }
        piece = ("" if self.first else ",\n") + json_line(task).rstrip("\n")
        self.first = False
        return piece
