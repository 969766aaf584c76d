"""A Label Studio JSON task list: each task's first annotation (its `labels` results) is the set, offsets
in code points (what Label Studio's editor stores: see ../shared/external/interop/) unless the options
name UTF-16 code units."""

from corpus.jsonsafe import JsonRefused, parse_json_list

from .base import Reader, decode_line, split_boilerplate
from .units import to_code_points

DEFAULT_OFFSETS = "codepoints"
MAX_BYTES = 200 * 1024 * 1024


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
    convert = to_code_points(options.offsets or DEFAULT_OFFSETS, text)
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


class LabelStudioReader(Reader):
    name = "labelstudio"
    description = "Label Studio JSON task list (labels results)"

    def read(self, stream, options):
        number = 0
        try:
            raw = stream.read(MAX_BYTES + 1)
            if len(raw) > MAX_BYTES:
                raise ValueError(f"the file is over {MAX_BYTES:,} bytes")
            # The tasks are parsed one at a time as they are read, not all before the first (in an import,
            # while the database stores the ones before them); a break in the file ends the list there.
            for number, task in enumerate(parse_json_list(decode_line(raw, 1).removeprefix("\ufeff")), 1):
                try:
                    text, spans = _results(task, options)
                except (KeyError, TypeError, ValueError, IndexError) as error:
                    yield number, f"task {number}: not a Label Studio task ({error})"
                    continue
                yield number, {"text": text, "external_id": str(task["data"].get("external_id", "")),
                               **split_boilerplate(spans, options.boilerplate_names)}
        except (ValueError, JsonRefused) as error:
            where = f" (after task {number})" if number else ""
            yield number + 1 if number else 1, f"not a Label Studio task list{where}: {error}"
