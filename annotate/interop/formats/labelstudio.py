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

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from annotate.interop.formats.reading import WholeFileReader, decode_line, read_whole, split_boilerplate
from annotate.interop.formats.writing import Writer, json_line
from annotate.interop.units import from_code_points, other_unit_hint, to_code_points
from corpus.jsonsafe import parse_json_list

UNIT = "codepoints"  # the default offset unit, as Label Studio's editor stores them


def _task(number) -> str:
    return _("task %(number)s") % {"number": number}


def _text(data: dict, field: str, to_names=(), probes=(), chosen: list | None = None) -> str:
    """The task's text: data[field], else data["text"], else the one string of `data`, else the string
    field the results' `to_name` names (a labeling config names its <Text> after its field, as in
    `<Text name="content" value="$content"/>`), else the one string field that holds every span's own text
    at its offsets (`probes`: (start, end, text)), else the field an earlier task of the file showed to be
    the text (`chosen`, which this adds to). ValueError naming the fields the task has when it cannot tell."""
    fields = ", ".join(data) or _("none")
    if field:
        if field not in data:
            raise ValueError(_("`data` has no field %(field)r (its fields: %(fields)s)") % {
                "field": field, "fields": fields})
        if type(data[field]) is not str:
            raise ValueError(_("`data.%(field)s` must be a string") % {"field": field})
        return data[field]
    if type(data.get("text")) is str:
        return data["text"]
    strings = [key for key, value in data.items() if type(value) is str]
    if len(strings) == 1:
        return data[strings[0]]
    for found in ([key for key in strings if key in to_names],
                  [key for key in strings if probes and all(data[key][a:b] == t for a, b, t in probes)]):
        if len(found) == 1:
            if chosen is not None:
                chosen.append(found[0])
            return data[found[0]]
    if chosen and chosen[-1] in strings:  # one labeling config for the whole file
        return data[chosen[-1]]
    raise ValueError(_("which field of `data` is the text? Its fields: %(fields)s; name one with text_field "
                       "(--text-field)") % {"fields": fields})


def _probes(results) -> list[tuple[int, int, str]]:
    """(start, end, text) of the results that carry their text: what tells which field they are in."""
    probes = []
    for result in results:
        value = result.get("value") if type(result) is dict else None
        if type(value) is dict and type(value.get("text")) is str and type(value.get("start")) is int \
                and type(value.get("end")) is int:
            probes.append((value["start"], value["end"], value["text"]))
    return probes


def _spans(results, text: str, options, where: str) -> tuple[list[dict], list[str], set[str]]:
    """The `labels` results as spans (in code points of `text`), each one's index in `result`, and the
    types of the results that are not read."""
    if type(results) is not list or not all(type(r) is dict for r in results):
        raise ValueError(f"{where}: " + _("`result` must be a list of objects"))
    unit = options.offsets or UNIT
    convert = to_code_points(unit, text)
    spans, places, other = [], [], set()
    for i, result in enumerate(results):
        if result.get("type") != "labels":
            other.add(str(result.get("type")))
            continue
        value = result.get("value")
        if type(value) is not dict or type(value.get("labels")) is not list:
            raise ValueError(f"{where}: result[{i}]: " + _("`value` must be an object with `labels`"))
        start, end = value.get("start"), value.get("end")
        if type(start) is not int or type(end) is not int:
            raise ValueError(f"{where}: result[{i}]: " + _("`start` and `end` must be whole numbers"))
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


def _records(number: int, task, options, chosen: list) -> list[dict]:
    """One record per annotation and per prediction of the task (a document-only record when it has
    neither); ValueError, KeyError or TypeError for a task that is not one."""
    if type(task) is dict and "data" not in task and "annotation_id" in task:
        return [_min_record(number, task, options, chosen)]
    if type(task) is not dict or type(task.get("data")) is not dict:
        raise ValueError(_("a task must be an object with `data`"))
    records = []
    if (ids := task.get("predictions")) and type(ids) is list and all(type(i) is int for i in ids):
        # Label Studio's JSON export names a task's predictions by id only
        records.append({"_note": f"{_task(number)}: " + _(
            "its predictions are given by id only (%(ids)s), as Label Studio's JSON export writes them: not read")
            % {"ids": ", ".join(map(str, ids))}})
        task = {**task, "predictions": []}
    results = [r for key in ("annotations", "predictions") for item in (task.get(key) or []) if type(item) is dict
               for r in (item.get("result") or []) if type(item.get("result")) is list]
    text = _text(task["data"], options.text_field, {r.get("to_name") for r in results if type(r) is dict},
                 _probes(results), chosen)
    base = {"text": text, "external_id": str(task["data"].get("external_id", "")), "_task": number}
    for key in ("annotations", "predictions"):
        items = task.get(key) or []
        if type(items) is not list or not all(type(a) is dict for a in items):
            raise ValueError(_("`%(key)s` must be a list of objects") % {"key": key})
        for i, item in enumerate(items):
            where = f"{_task(number)}, {key}[{i}]"
            if key == "annotations" and item.get("was_cancelled"):
                records.append({"_note": f"{where}: " + _("cancelled (skipped) in Label Studio, not imported")})
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
                records.append({"_note": f"{where}: " + _("results of type %(types)s are not read (only labels)")
                                % {"types": ", ".join(sorted(other))}})
    if not any("_where" in r for r in records):
        records.append({**base, "_where": _task(number), "_document_only": True, "entities": [],
                        "boilerplate": []})
    return records


# What a JSON-MIN item holds beside the task's data fields and its spans (one list per <Labels> control).
_MIN_KEYS = {"id", "annotator", "annotation_id", "created_at", "updated_at", "lead_time", "history", "agreement",
             "drafts", "predictions", "annotations"}


def _min_record(number: int, item: dict, options, chosen: list) -> dict:
    """One item of Label Studio's JSON-MIN export: one annotation, the task's data fields inlined, the spans
    under the name of their <Labels> control, the author in `annotator`."""
    span_keys = [key for key, value in item.items() if key not in _MIN_KEYS and type(value) is list
                 and all(type(x) is dict and "labels" in x for x in value)]
    fields = {key: value for key, value in item.items() if key not in _MIN_KEYS and key not in span_keys}
    results = [{"type": "labels", "value": x} for key in span_keys for x in item[key]]
    text = _text(fields, options.text_field, (), _probes(results), chosen)
    where = _("task %(number)s, annotation %(annotation)s") % {
        "number": item.get("id", number), "annotation": item.get("annotation_id")}
    spans, places, _other = _spans(results, text, options, where)
    named = [f"{key}[{i}]" for key in span_keys for i in range(len(item[key]))]
    task = item.get("id") if type(item.get("id")) is int else number
    base = {"text": text, "external_id": str(fields.get("external_id", "")), "_task": task, "_where": where}
    if item.get("annotation_id") is None:  # a task nobody annotated (download_all_tasks): its document only
        return {**base, "_document_only": True, "entities": [], "boilerplate": []}
    return {**base, "_author": item.get("annotator"),
            **split_boilerplate(spans, options.boilerplate_names, [named[i] for i in places])}


class LabelStudioReader(WholeFileReader):
    name = "labelstudio"
    description = "Label Studio JSON task list (labels results), or its JSON-MIN export"
    whole, unit = gettext_noop("a Label Studio task list"), gettext_noop("task")
    authored = True
    own_unit = UNIT

    def items(self, stream):
        # The tasks are parsed one at a time as they are read, not all before the first (in an import,
        # while the database stores the ones before them); a break in the file ends the list there.
        return parse_json_list(decode_line(read_whole(stream), 1).removeprefix("\ufeff"))

    def read(self, stream, options):
        chosen = []  # the data field the tasks read so far showed to be the text
        return super().read(stream, options, lambda number, task, options: self.record(number, task, options, chosen))

    def record(self, number, task, options, chosen=None):
        try:
            return _records(number, task, options, [] if chosen is None else chosen)
        except (KeyError, TypeError, ValueError, IndexError) as error:
            message = str(error)
            if message.startswith(f"{_task(number)}, "):  # placed already: an annotation's result
                return message
            return f"{_task(number)}: " + _("not a Label Studio task (%(reason)s)") % {"reason": message}


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
