"""What changed from one release to another, read from their JSONL files (the releases' own record of what
they hold): documents added, removed, changed (their marks differ) and moved to another split; marks
added and removed per layer and label (an event counts as its trigger and type; an argument as its role).

Two passes over each bundle keep memory to a fingerprint per document plus the marks of the documents
that differ. Both releases are immutable, so a diff is cached under their checksums."""

import hashlib
import io
import json
import zipfile
from collections import Counter, defaultdict
from collections.abc import Iterator

from django.core.cache import cache
from django.core.files.storage import default_storage

EXAMPLES = 10
CACHE_SECONDS = 24 * 3600


def marks(record: dict) -> set[tuple]:
    found = {("entities", s["label"], s["start"], s["end"]) for s in record.get("entities", ())}
    found |= {("boilerplate", s["label"], s["start"], s["end"]) for s in record.get("boilerplate", ())}
    entity = {s["id"]: (s["label"], s["start"], s["end"]) for s in record.get("entities", ())}
    for event in record.get("events", ()):
        trigger = (event["trigger"]["start"], event["trigger"]["end"])
        found.add(("events", event["type"], *trigger))
        for argument in event.get("arguments", ()):
            target = entity.get(argument.get("entity_id"))
            if target is not None:
                found.add(("arguments", f"{event['type']}.{argument['role']}", *trigger, *target))
    return found


def _records(release) -> Iterator[tuple[str, dict]]:
    with default_storage.open(release.path, "rb") as stored:
        archive = zipfile.ZipFile(stored)  # storage files seek (django-storages' S3 file is spooled)
        folder = release.filename.removesuffix(".zip")
        names = sorted(n for n in archive.namelist() if n.startswith(f"{folder}/data/") and n.endswith(".jsonl"))
        for name in names:
            split = name.rsplit("/", 1)[-1].removesuffix(".jsonl")
            with archive.open(name) as member:
                for line in io.TextIOWrapper(member, encoding="utf-8"):
                    if line.strip():
                        yield split, json.loads(line)


def _fingerprint(found: set[tuple]) -> str:
    return hashlib.sha1(json.dumps(sorted(found), ensure_ascii=False).encode(), usedforsecurity=False).hexdigest()


def _index(release) -> dict[int, tuple[str, str, str]]:
    """document id → (split, fingerprint of its marks, title)"""
    return {r["id"]: (split, _fingerprint(marks(r)), r.get("title") or r.get("external_id") or "")
            for split, r in _records(release)}


def _marks_of(release, wanted: set) -> dict[int, set]:
    return {r["id"]: marks(r) for _split, r in _records(release) if r["id"] in wanted}


def release_diff(old, new) -> dict:
    key = f"release-diff:{old.sha256}:{new.sha256}"
    found = cache.get(key)
    if found is None:
        found = _diff(old, new)
        cache.set(key, found, CACHE_SECONDS)
    return found


def _diff(old, new) -> dict:
    before, after = _index(old), _index(new)
    added = sorted(set(after) - set(before))
    removed = sorted(set(before) - set(after))
    both = set(before) & set(after)
    changed = sorted(d for d in both if before[d][1] != after[d][1])
    moved = sorted(d for d in both if before[d][0] != after[d][0])
    old_marks = _marks_of(old, set(removed) | set(changed))
    new_marks = _marks_of(new, set(added) | set(changed))
    plus: Counter = Counter()
    minus: Counter = Counter()
    for document in (*added, *removed, *changed):
        a, b = old_marks.get(document, set()), new_marks.get(document, set())
        plus.update((m[0], m[1]) for m in b - a)
        minus.update((m[0], m[1]) for m in a - b)
    layers: dict = defaultdict(dict)
    for layer, label in sorted(set(plus) | set(minus)):
        layers[layer][label] = {"added": plus[(layer, label)], "removed": minus[(layer, label)]}

    def listed(ids, side):
        return [{"id": d, "title": side[d][2], "split": side[d][0]} for d in ids[:EXAMPLES]]

    return {
        "from": old.name, "to": new.name,
        "documents": {"added": len(added), "removed": len(removed), "changed": len(changed),
                      "unchanged": len(both) - len(changed), "moved_split": len(moved)},
        "spans": dict(layers),
        "examples": {"added": listed(added, after), "removed": listed(removed, before),
                     "changed": listed(changed, after),
                     "moved_split": [{"id": d, "title": after[d][2], "from": before[d][0], "to": after[d][0]}
                                     for d in moved[:EXAMPLES]]},
    }
