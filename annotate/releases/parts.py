"""A release's work on one range of document ids, run in a worker process (bundle.py runs two at once on
PostgreSQL) or in the job's own process: the near-duplicate signatures of the range's documents, and the
range's records written, split by split, as JSONL, CoNLL and one DocBin. A worker reads the database in the
snapshot of the job's transaction (PostgreSQL's exported snapshot), so the release is one moment's gold
whichever process read it."""

import contextlib
import dataclasses
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, transaction

from annotate.interop.export import export_options
from annotate.interop.formats import get_writer
from annotate.interop.options import parse_split, split_of
from annotate.interop.records import export_records
from annotate.models import Project
from corpus.models import Document

from .grouping import Signer

FORMATS = ("jsonl", "conll", "spacy")
SNAPSHOT_ID = re.compile(r"[0-9A-Fa-f]+(-[0-9A-Fa-f]+)+")


@dataclass
class SplitCounts:
    documents: int = 0
    tokens: int = 0
    sentences: int = 0
    entities: Counter = field(default_factory=Counter)
    events: Counter = field(default_factory=Counter)
    arguments: int = 0
    boilerplate: Counter = field(default_factory=Counter)
    near_duplicates: int = 0  # documents of this split in a group of two or more
    languages: Counter = field(default_factory=Counter)
    set_authors: set = field(default_factory=set)  # whose sets: gold, its curator; majority, the voters
    misaligned: int = 0  # spans token alignment expanded or dropped (CoNLL, DocBin)
    nested_left_out: int = 0

    def add(self, record) -> None:
        self.documents += 1
        self.tokens += len(record.tokens)
        self.sentences += len(record.sentences) or 1
        self.entities.update(s.label for s in record.entities)
        self.boilerplate.update(s.label for s in record.boilerplate)
        self.events.update(e["type"] for e in record.events)
        self.arguments += sum(len(e["arguments"]) for e in record.events)
        self.languages[record.document["language"] or "und"] += 1
        self.set_authors.update(record.annotators)

    def merge(self, other: "SplitCounts") -> None:
        for name in ("documents", "tokens", "sentences", "arguments", "near_duplicates", "misaligned",
                     "nested_left_out"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for name in ("entities", "events", "boilerplate", "languages"):
            getattr(self, name).update(getattr(other, name))
        self.set_authors |= other.set_authors

    def as_dict(self) -> dict:
        return {"documents": self.documents, "tokens": self.tokens, "sentences": self.sentences,
                "entities": dict(sorted(self.entities.items())), "events": dict(sorted(self.events.items())),
                "arguments": self.arguments, "boilerplate": dict(sorted(self.boilerplate.items())),
                "near_duplicates": self.near_duplicates, "languages": dict(self.languages.most_common()),
                "set_authors": sorted(self.set_authors)}


def writer_options(project, options: dict) -> dict:
    """The export's options for each format, from the release's options (checked again: the job reads them
    back from the row)."""
    base = {"source": options["source"], "status": "submitted", "split": options["split"],
            **{key: value for key, value in options.get("filters", {}).items() if value}}
    return {fmt: export_options(project=project, params={**base, "format": fmt}) for fmt in FORMATS}


@contextlib.contextmanager
def in_snapshot(snapshot: str | None):
    """A transaction; in a worker, one that sees exactly what the job's transaction sees."""
    with transaction.atomic():
        if snapshot:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                if not SNAPSHOT_ID.fullmatch(snapshot):  # SET takes no parameters: checked, then quoted
                    raise ValueError(f"not a snapshot id: {snapshot!r}")
                cursor.execute(f"SET TRANSACTION SNAPSHOT '{snapshot}'")
        yield


def documents_of(project):
    return Document.objects.filter(collection__in=project.collections.all())


def signatures_part(task: dict) -> tuple[list[int], list]:
    """The MinHash signatures of the documents with ids in [low, high], in id order."""
    signer = Signer()
    with in_snapshot(task["snapshot"]):
        project = Project.objects.get(pk=task["project"])
        rows = documents_of(project).filter(pk__gte=task["low"], pk__lte=task["high"]).order_by("pk")
        keys, values = [], []
        for pk, text in rows.values_list("pk", "text").iterator(chunk_size=500):
            keys.append(pk)
            values.append(signer.values(text))
    return keys, values


class PartWriter:
    """One split's files for one range: JSONL, CoNLL and a DocBin."""

    def __init__(self, folder: Path, part: int, split: str, options: dict):
        self.split, self.counts = split, SplitCounts()
        self.paths = {fmt: folder / f"{part:05d}-{split}.{fmt}" for fmt in FORMATS}
        self.files = {fmt: self.paths[fmt].open("wb") for fmt in ("jsonl", "conll")}
        self.writers = {fmt: get_writer(fmt, options[fmt]) for fmt in FORMATS}

    def write(self, record) -> None:
        self.counts.add(record)
        self.files["jsonl"].write(self.writers["jsonl"].write(record).encode())
        self.files["conll"].write(self.writers["conll"].write(record).encode())
        self.writers["spacy"].write(record)

    def close(self) -> dict[str, str]:
        for file in self.files.values():
            file.close()
        self.paths["spacy"].write_bytes(self.writers["spacy"].footer())
        summary = self.writers["conll"].report.summary()  # the DocBin aligns the same spans the same way
        self.counts.misaligned, self.counts.nested_left_out = summary["misaligned"], summary["nested_left_out"]
        return {fmt: str(path) for fmt, path in self.paths.items()}


def records_part(task: dict) -> dict:
    """The chosen sets of the documents with ids in [low, high], each in its split's files (a document's
    split: its near-duplicate group anchor's text hash, `anchors`, else its own). Returns, per split that
    got a document, its counts and files."""
    with in_snapshot(task["snapshot"]):
        project = Project.objects.get(pk=task["project"])
        options = writer_options(project, task["options"])
        reading = dataclasses.replace(options["jsonl"], tokens=True,  # CoNLL and DocBin need the tokens
                                      document_range=(task["low"], task["high"]))
        spec, anchors, folder = parse_split(task["options"]["split"]), task["anchors"], Path(task["folder"])
        writers: dict[str, PartWriter] = {}
        for record in export_records(project, reading):
            document = record.document["id"]
            record.split = split_of(anchors.get(document) or record.document["text_sha256"], spec)
            writer = writers.get(record.split)
            if writer is None:
                writer = writers[record.split] = PartWriter(folder, task["part"], record.split, options)
            writer.write(record)
            writer.counts.near_duplicates += document in anchors
    return {split: {"counts": writer.counts, "files": writer.close()} for split, writer in writers.items()}
