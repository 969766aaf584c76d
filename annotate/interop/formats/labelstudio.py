"""A Label Studio JSON task list: each task's first annotation (its `labels` results) is the set, offsets
in code points (what Label Studio's editor stores: see ../shared/external/interop/) unless the options
name UTF-16 code units.

Out: a JSON task list with one annotation per set. No `completed_by` (Label Studio refuses a name there);
the annotator goes in `data`, which it keeps as it is."""

from annotate.interop.formats.reading import WholeFileReader, decode_line, read_whole, split_boilerplate
from annotate.interop.formats.writing import Writer, json_line
from annotate.interop.units import from_code_points, to_code_points
from corpus.jsonsafe import parse_json_list

UNIT = "codepoints"  # the default offset unit, as Label Studio's editor stores them


def _results(task: dict, options) -> tuple[str, list[dict]]:
    """The task's text and spans; ValueError, KeyError or TypeError for a task that is not one."""
    if type(task) is not dict or type(task.get("data")) is not dict:
        raise ValueError("a task must be an object with `data`")
    text = task["data"]["text"]
    if type(text) is not str:
        raise ValueError("`data.text` must be a string")
    annotations = task.get("annotations") or []
    if type(annotations) is not list or not all(type(a) is dict for a in annotations):
        raise ValueError("`annotations` must be a list of objects")
    results = annotations[0].get("result", []) if annotations else []
    if type(results) is not list:
        raise ValueError("an annotation's `result` must be a list of objects")
    convert = to_code_points(options.offsets or UNIT, text)
    spans = []
    for result in results:
        if type(result) is not dict:
            raise ValueError("an annotation's `result` must be a list of objects")
        if result.get("type") != "labels":
            continue
        value = result.get("value")
        if type(value) is not dict or type(value.get("labels")) is not list:
            raise ValueError("a result's `value` must be an object with `labels`")
        start, end = value.get("start"), value.get("end")
        if type(start) is not int or type(end) is not int:
            raise ValueError("a result's `start` and `end` must be whole numbers")
        if convert is not None:
            start, end = convert(start), convert(end)
        for label in value["labels"]:
            span = {"start": start, "end": end, "label": label}
            if "text" in value:
                span["text"] = value["text"]
            spans.append(span)
    return text, spans


class LabelStudioReader(WholeFileReader):
    name = "labelstudio"
    description = "Label Studio JSON task list (labels results)"
    whole, unit = "a Label Studio task list", "task"

    def items(self, stream):
        # The tasks are parsed one at a time as they are read, not all before the first (in an import,
        # while the database stores the ones before them); a break in the file ends the list there.
        return parse_json_list(decode_line(read_whole(stream), 1).removeprefix("\ufeff"))

    def record(self, number, task, options):
        try:
            text, spans = _results(task, options)
        except (KeyError, TypeError, ValueError, IndexError) as error:
            return f"task {number}: not a Label Studio task ({error})"
        return {"text": text, "external_id": str(task["data"].get("external_id", "")),
                **split_boilerplate(spans, options.boilerplate_names)}


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
        self.report.count(record)
        text = record.document["text"]
        unit = from_code_points(self.options.offsets or UNIT, text)
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
