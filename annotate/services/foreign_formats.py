"""doccano and Label Studio files read as our records, so that one import (annotations_import) checks and
writes them. A label named like one of the project's boilerplate labels is boilerplate; others are
entities. Offsets come in each tool's own unit (UTF-16 code units for doccano, code points for Label
Studio: what their editors store, see ../shared/external/interop/) unless `offsets` names the other one,
and are converted to code points here; an offset inside a character is a problem of its line."""

from corpus.jsonsafe import JsonRefused, parse_json
from corpus.offsets import Utf16Index

from .annotation_import import decode_line, json_records

MAX_LABELSTUDIO_BYTES = 200 * 1024 * 1024


def _split(spans, boilerplate_names):
    """Entities and boilerplate, by the label's name (a label that is not a string stays an entity, refused
    later with the rest of the record's problems)."""
    def is_boilerplate(span):
        return isinstance(span["label"], str) and span["label"] in boilerplate_names

    entities = [s for s in spans if not is_boilerplate(s)]
    boilerplate = [s for s in spans if is_boilerplate(s)]
    return {"entities": entities, "boilerplate": boilerplate}


DEFAULT_OFFSETS = {"doccano": "utf16", "labelstudio": "codepoints"}


def _to_code_points(unit: str, text: str):
    if unit != "utf16":
        return lambda value: value
    index = Utf16Index(text)
    return lambda value: index.to_code_points(value) if type(value) is int else value


def doccano_lines(stream, boilerplate_names: set[str], offsets: str = "") -> list[tuple[int, dict | str]]:
    """doccano sequence labelling: one {"text", "label": [[start, end, label]]} per line."""
    out = []
    for number, record in json_records(stream, "not a doccano record: "):
        if isinstance(record, str):
            out.append((number, record))
            continue
        labels = record.get("label", [])
        if not isinstance(labels, list) or not all(isinstance(item, list) and len(item) == 3 for item in labels):
            out.append((number, f"line {number}: not a doccano record: `label` must be a list of [start, end, label]"))
            continue
        convert = _to_code_points(offsets or DEFAULT_OFFSETS["doccano"], record["text"])
        try:
            spans = [{"start": convert(s), "end": convert(e), "label": lab} for s, e, lab in labels]
        except ValueError as error:
            out.append((number, f"line {number}: {error}"))
            continue
        # doccano's own `id` is its database row, not the document's: it is kept in meta, never as our id.
        meta = {"doccano_id": record["id"]} if "id" in record else {}
        out.append((number, {"text": record["text"], "external_id": str(record.get("external_id") or ""),
                             "meta": meta, **_split(spans, boilerplate_names)}))
    return out


def labelstudio_lines(stream, boilerplate_names: set[str], offsets: str = "") -> list[tuple[int, dict | str]]:
    """A Label Studio JSON task list; each task's first annotation (its `labels` results) is the set."""
    try:
        raw = stream.read(MAX_LABELSTUDIO_BYTES + 1)
        if len(raw) > MAX_LABELSTUDIO_BYTES:
            raise ValueError(f"the file is over {MAX_LABELSTUDIO_BYTES:,} bytes")
        tasks = parse_json(decode_line(raw, 1).removeprefix("\ufeff"))
        if not isinstance(tasks, list):
            raise ValueError("the file must be a JSON list of tasks")
    except (ValueError, JsonRefused) as error:
        return [(1, f"not a Label Studio task list: {error}")]
    out = []
    for number, task in enumerate(tasks, 1):
        where = f"task {number}"
        try:
            if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
                raise ValueError("a task must be an object with `data`")
            text = task["data"]["text"]
            if not isinstance(text, str):
                raise ValueError("`data.text` must be a string")
            annotations = task.get("annotations") or []
            if not isinstance(annotations, list) or not all(isinstance(a, dict) for a in annotations):
                raise ValueError("`annotations` must be a list of objects")
            results = annotations[0].get("result", []) if annotations else []
            if not isinstance(results, list) or not all(isinstance(r, dict) for r in results):
                raise ValueError("an annotation's `result` must be a list of objects")
            convert = _to_code_points(offsets or DEFAULT_OFFSETS["labelstudio"], text)
            spans = []
            for result in results:
                if result.get("type") != "labels":
                    continue
                value = result.get("value")
                if not isinstance(value, dict) or not isinstance(value.get("labels"), list):
                    raise ValueError("a result's `value` must be an object with `labels`")
                if not all(type(value.get(k)) is int for k in ("start", "end")):
                    raise ValueError("a result's `start` and `end` must be whole numbers")
                start, end = convert(value["start"]), convert(value["end"])
                for label in value["labels"]:
                    spans.append({"start": start, "end": end, "label": label, **({"text": value["text"]} if "text" in value else {})})
        except (KeyError, TypeError, ValueError, IndexError) as error:
            out.append((number, f"{where}: not a Label Studio task ({error})"))
            continue
        out.append((number, {"text": text, "external_id": str(task["data"].get("external_id", "")),
                             **_split(spans, boilerplate_names)}))
    return out
