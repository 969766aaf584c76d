"""doccano and Label Studio files read as our records, so that one import (annotations_import) checks and
writes them. A label named like one of the project's boilerplate labels is boilerplate; others are
entities. Label Studio counts offsets in UTF-16 units; they are converted to code points here."""

import json

from corpus.offsets import Utf16Index


def _split(spans, boilerplate_names):
    entities = [s for s in spans if s["label"] not in boilerplate_names]
    boilerplate = [s for s in spans if s["label"] in boilerplate_names]
    return {"entities": entities, "boilerplate": boilerplate}


def doccano_lines(stream, boilerplate_names: set[str]) -> list[tuple[int, dict | str]]:
    """doccano sequence labelling: one {"text", "label": [[start, end, label]]} per line."""
    out = []
    for number, raw in enumerate(stream, 1):
        line = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            text, labels = record["text"], record.get("label", [])
            spans = [{"start": int(s), "end": int(e), "label": str(lab)} for s, e, lab in labels]
        except (ValueError, KeyError, TypeError) as error:
            out.append((number, f"line {number}: not a doccano record ({error})"))
            continue
        out.append((number, {"text": text, "external_id": str(record.get("id", "")), **_split(spans, boilerplate_names)}))
    return out


def labelstudio_lines(stream, boilerplate_names: set[str]) -> list[tuple[int, dict | str]]:
    """A Label Studio JSON task list; each task's first annotation (its `labels` results) is the set."""
    try:
        tasks = json.load(stream)
        if not isinstance(tasks, list):
            raise ValueError("the file must be a JSON list of tasks")
    except (ValueError, UnicodeDecodeError) as error:
        return [(1, f"not a Label Studio task list: {error}")]
    out = []
    for number, task in enumerate(tasks, 1):
        where = f"task {number}"
        try:
            text = task["data"]["text"]
            annotations = task.get("annotations") or []
            results = annotations[0]["result"] if annotations else []
            index = Utf16Index(text)
            spans = []
            for result in results:
                if result.get("type") != "labels":
                    continue
                value = result["value"]
                start, end = index.to_code_points(value["start"]), index.to_code_points(value["end"])
                for label in value["labels"]:
                    spans.append({"start": start, "end": end, "label": label, **({"text": value["text"]} if "text" in value else {})})
        except (KeyError, TypeError, ValueError, IndexError) as error:
            out.append((number, f"{where}: not a Label Studio task ({error})"))
            continue
        out.append((number, {"text": text, "external_id": str(task.get("data", {}).get("external_id", "")),
                             **_split(spans, boilerplate_names)}))
    return out
