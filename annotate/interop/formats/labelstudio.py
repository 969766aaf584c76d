"""A Label Studio JSON task list. Each annotation of a task is a set of its own, whose author is the
annotation's `completed_by` (an id, or an object with an email: importing.authors maps it to a project
annotator); each prediction is a model's set (`model_version` names the model); a task with neither is a
document without a set. The text is the `data` field the options name, else `text`, else the one string
field of `data`. Offsets are in code points (what Label Studio's editor stores: see ../shared/external/interop/)
unless the options name another unit. A cancelled (skipped) annotation and results that are not `labels`
(relations, choices, text areas) are not read, and the notes say so.

Out: a JSON task list with one annotation per set, named as the target project's labeling config names its
<Labels> control, <Text> object and data field (options.labeling; by default our own config's: label,
text, $text). No `completed_by` (Label Studio refuses a name there); the annotator goes in `data`, which
it keeps as it is."""

from annotate.interop.formats.reading import WholeFileReader, decode_line, read_whole, split_boilerplate
from annotate.interop.formats.writing import Writer, json_line
from annotate.interop.units import from_code_points, other_unit_hint, to_code_points
from corpus.jsonsafe import parse_json_list

UNIT = "codepoints"  # the default offset unit, as Label Studio's editor stores them


def _text(data: dict, field: str) -> str:
    """The task's text: data[field], else data["text"], else the one string of `data`; ValueError naming
    the fields the task has when it cannot tell."""
    fields = ", ".join(data) or "none"
    if field:
        if field not in data:
            raise ValueError(f"`data` has no field {field!r} (its fields: {fields})")
        if type(data[field]) is not str:
            raise ValueError(f"`data.{field}` must be a string")
        return data[field]
    if type(data.get("text")) is str:
        return data["text"]
    strings = [key for key, value in data.items() if type(value) is str]
    if len(strings) == 1:
        return data[strings[0]]
    raise ValueError(f"which field of `data` is the text? Its fields: {fields}; name one with text_field "
                     "(--text-field)")


def _spans(results, text: str, options, where: str) -> tuple[list[dict], list[str], set[str]]:
    """The `labels` results as spans (in code points of `text`), each one's index in `result`, and the
    types of the results that are not read."""
    if type(results) is not list or not all(type(r) is dict for r in results):
        raise ValueError(f"{where}: `result` must be a list of objects")
    unit = options.offsets or UNIT
    convert = to_code_points(unit, text)
    spans, places, other = [], [], set()
    for i, result in enumerate(results):
        if result.get("type") != "labels":
            other.add(str(result.get("type")))
            continue
        value = result.get("value")
        if type(value) is not dict or type(value.get("labels")) is not list:
            raise ValueError(f"{where}: result[{i}]: `value` must be an object with `labels`")
        start, end = value.get("start"), value.get("end")
        if type(start) is not int or type(end) is not int:
            raise ValueError(f"{where}: result[{i}]: `start` and `end` must be whole numbers")
        if convert is not None:
            try:
                start, end = convert(start), convert(end)
            except ValueError as error:
                raise ValueError(f"{where}: result[{i}]: {error}") from None
        hint = ""
        if "text" in value and type(start) is int and type(end) is int and text[start:end] != value["text"]:
            hint = other_unit_hint(unit, text, value.get("start"), value.get("end"), value["text"])
        for label in value["labels"]:
            span = {"start": start, "end": end, "label": label}
            if "text" in value:
                span["text"] = value["text"]
            if hint:
                span["hint"] = hint
            spans.append(span)
            places.append(i)
    return spans, places, other


def _records(number: int, task, options) -> list[dict]:
    """One record per annotation and per prediction of the task (a document-only record when it has
    neither); ValueError, KeyError or TypeError for a task that is not one."""
    if type(task) is not dict or type(task.get("data")) is not dict:
        raise ValueError("a task must be an object with `data`")
    text = _text(task["data"], options.text_field)
    base = {"text": text, "external_id": str(task["data"].get("external_id", "")), "_task": number}
    records = []
    for key in ("annotations", "predictions"):
        items = task.get(key) or []
        if type(items) is not list or not all(type(a) is dict for a in items):
            raise ValueError(f"`{key}` must be a list of objects")
        for i, item in enumerate(items):
            where = f"task {number}, {key}[{i}]"
            if key == "annotations" and item.get("was_cancelled"):
                records.append({"_note": f"{where}: cancelled (skipped) in Label Studio, not imported"})
                continue
            spans, places, other = _spans(item.get("result", []), text, options, where)
            record = {**base, "_where": where,
                      **split_boilerplate(spans, options.boilerplate_names, places, list_name="result")}
            if key == "annotations":
                record["_author"] = item.get("completed_by")
            else:
                record["_model"] = item.get("model_version") or ""
            records.append(record)
            if other:
                records.append({"_note": f"{where}: results of type {', '.join(sorted(other))} are not read "
                                         "(only labels)"})
    if not any("_where" in r for r in records):
        records.append({**base, "_where": f"task {number}", "_document_only": True, "entities": [],
                        "boilerplate": []})
    return records


class LabelStudioReader(WholeFileReader):
    name = "labelstudio"
    description = "Label Studio JSON task list (labels results)"
    whole, unit = "a Label Studio task list", "task"
    authored = True
    own_unit = UNIT

    def items(self, stream):
        # The tasks are parsed one at a time as they are read, not all before the first (in an import,
        # while the database stores the ones before them); a break in the file ends the list there.
        return parse_json_list(decode_line(read_whole(stream), 1).removeprefix("\ufeff"))

    def record(self, number, task, options):
        try:
            return _records(number, task, options)
        except (KeyError, TypeError, ValueError, IndexError) as error:
            message = str(error)
            if message.startswith(f"task {number}, "):  # placed already: an annotation's result
                return message
            return f"task {number}: not a Label Studio task ({message})"


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
        target = self.options.labeling  # the user's labeling config's names, or our own config's
        result = [
            {
                "id": span.id[:10] if span.id else f"b{n}",
                "from_name": target.from_name,
                "to_name": target.to_name,
                "type": "labels",
                "value": {"start": unit(span.start), "end": unit(span.end), "text": span.text,
                          "labels": [span.label]},
            }
            for n, span in enumerate([*record.entities, *record.boilerplate])
        ]
        task = {
            "data": {"external_id": record.document["external_id"], "annotator": record.annotator, target.field: text},
            "annotations": [{"result": result}],
        }
        piece = ("" if self.first else ",\n") + json_line(task).rstrip("\n")
        self.first = False
        return piece
