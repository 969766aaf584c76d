"""A release's zip, built once (releases.build, jobs.py).

1. Near-duplicates: every document of the project gets a MinHash signature (parts.signatures_part) and
   joins its group in id order (grouping.py), so that a group's first imported document anchors its split.
2. Records: the chosen sets, range of ids by range (parts.records_part), each written in its split's JSONL,
   CoNLL and DocBin.
3. The zip: the ranges' files joined in id order (each file's SHA-256 taken as it is copied), the schema,
   the guidelines, release.json, the data card (card.py) and checksums.sha256; then into storage, once.

On PostgreSQL, outside a transaction (the job worker), the ranges go to RELEASE_WORKERS processes at once,
each reading the job's exported snapshot; elsewhere (SQLite, a test's transaction) they run here, one after
the other. Memory stays flat either way: a range is RANGE documents, and the job's process holds only the
signatures and the groups.

Layout, inside <project>-<name>/:
    README.md                       the data card (Hugging Face YAML header)
    release.json                    options, versions, counts, near-duplicate report
    schema.json, guidelines.md      the label schema and the guidelines as they were
    data/<split>.jsonl              one record per document (annotate.interop.formats.jsonl)
    conll/<split>.conll             entities, IOB2, CoNLL-2003 columns
    spacy/<split>/<nnnn>.spacy      DocBin shards, one per range (`spacy train` reads a directory)
    checksums.sha256                sha256sum -c reads it"""

import contextlib
import hashlib
import json
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from itertools import batched

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection, transaction

from annotate.interop.options import parse_split
from corpus.models import Document
from corpus.pipeline import worker_context

from .grouping import NearDuplicates
from .parts import SplitCounts, documents_of, records_part, signatures_part
from .worker_setup import worker_setup

RANGE = 2_500  # documents per range: per worker task, per DocBin shard at most


@contextlib.contextmanager
def ranges_runner(project) -> Iterator[Callable]:
    """run(function, tasks) → the results in order. In worker processes (PostgreSQL, no transaction open in
    this process, RELEASE_WORKERS > 1) every task reads the snapshot this transaction exported."""
    workers = getattr(settings, "RELEASE_WORKERS", 1)
    parallel = workers > 1 and connection.vendor == "postgresql" and not connection.in_atomic_block
    with transaction.atomic():
        snapshot = None
        if parallel:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
        bounds = [(chunk[0], chunk[-1], len(chunk)) for chunk in batched(
            documents_of(project).order_by("pk").values_list("pk", flat=True).iterator(chunk_size=10_000), RANGE)]
        if not parallel or len(bounds) < 2:
            yield lambda function, tasks: map(function, tasks), bounds, None
            return
        with worker_context().Pool(workers, initializer=worker_setup,
                                  initargs=(connection.settings_dict["NAME"],)) as pool:
            yield lambda function, tasks: pool.imap(function, tasks), bounds, snapshot


def near_duplicates(project, threshold: float, run, bounds, snapshot, step) -> NearDuplicates:
    groups = NearDuplicates(threshold=threshold)
    tasks = [{"project": project.pk, "low": low, "high": high, "snapshot": snapshot} for low, high, _n in bounds]
    for keys, values in run(signatures_part, tasks):
        for key, value in zip(keys, values, strict=True):
            groups.add_values(key, value)
        step(len(keys))
    return groups


def records_write(project, options: dict, groups: NearDuplicates, run, bounds, snapshot, folder, step):
    """Each range's files, and the counts per split (in the spec's order)."""
    members = {pk: g.anchor for g in groups.groups() for pk in g.members}
    hashes = dict(Document.objects.filter(pk__in=set(members.values())).values_list("pk", "text_sha256"))
    tasks = [{"project": project.pk, "low": low, "high": high, "snapshot": snapshot, "options": options,
              "folder": str(folder), "part": number,
              "anchors": {pk: hashes[anchor] for pk, anchor in members.items() if low <= pk <= high}}
             for number, (low, high, _n) in enumerate(bounds)]
    names = [name for name, _share in parse_split(options["split"])]
    counts = {name: SplitCounts() for name in names}
    files: dict[str, list[str]] = {}
    for part, (_low, _high, documents) in zip(run(records_part, tasks), bounds, strict=True):
        for split, written in part.items():
            counts[split].merge(written["counts"])
            for fmt, path in written["files"].items():
                files.setdefault(f"{fmt}:{split}", []).append(path)
        step(documents)
    return counts, _members(names, files)


def _members(names: list[str], files: dict[str, list[str]]) -> list[tuple[str, list[str]]]:
    """(name in the zip, the part files joined into it), in a fixed order; a DocBin per range."""
    members = []
    for split in names:
        members.append((f"data/{split}.jsonl", files.get(f"jsonl:{split}", [])))
        members.append((f"conll/{split}.conll", files.get(f"conll:{split}", [])))
        members += [(f"spacy/{split}/{n:04d}.spacy", [path]) for n, path in enumerate(files.get(f"spacy:{split}", []))]
    return members


def zip_write(folder: str, members: list[tuple[str, list[str]]], texts: dict[str, bytes], when: tuple):
    """The zip (a temporary file), with each member's parts joined, the texts, and checksums.sha256 of all of
    them; each file's SHA-256 is taken as it is copied in. Every entry is dated `when` (the release's cut),
    so the same content gives the same bytes."""
    out = tempfile.TemporaryFile()  # noqa: SIM115  (the caller closes it, once stored)
    entries = []

    def info(name: str) -> zipfile.ZipInfo:
        entry = zipfile.ZipInfo(f"{folder}/{name}", date_time=when)
        # DocBin files are zlib-compressed already; the text files deflate fast at level 1 (6 took 4 times longer)
        entry.compress_type = zipfile.ZIP_STORED if name.endswith(".spacy") else zipfile.ZIP_DEFLATED
        setattr(entry, "compress_level" if hasattr(entry, "compress_level") else "_compresslevel", 1)  # 3.13 renamed it
        return entry

    with zipfile.ZipFile(out, "w") as archive:
        for name, parts in members:
            digest, size = hashlib.sha256(), 0
            with archive.open(info(name), "w", force_zip64=True) as target:
                for path in parts:
                    with open(path, "rb") as part:
                        while block := part.read(1 << 20):
                            digest.update(block)
                            size += len(block)
                            target.write(block)
            entries.append({"name": name, "bytes": size, "sha256": digest.hexdigest()})
        for name, data in texts.items():
            archive.writestr(info(name), data)
            entries.append({"name": name, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()})
        entries.sort(key=lambda e: e["name"])
        archive.writestr(info("checksums.sha256"), "".join(f"{e['sha256']}  {e['name']}\n" for e in entries))
    return out, entries


def bundle_save(path: str, out) -> tuple[str, str, int]:
    """The zip into storage; its name there, SHA-256 and size."""
    digest, size = hashlib.sha256(), out.tell()
    out.seek(0)
    for block in iter(lambda: out.read(1 << 20), b""):
        digest.update(block)
    out.seek(0)
    if default_storage.exists(path):  # a failed earlier attempt's file: never offered, replaced
        default_storage.delete(path)
    return default_storage.save(path, File(out, name=path.rsplit("/", 1)[-1])), digest.hexdigest(), size


def counts_of(counts: dict[str, SplitCounts]) -> dict:
    splits = {name: c.as_dict() for name, c in counts.items()}
    return {"splits": splits, "documents": sum(c["documents"] for c in splits.values()),
            "left_out_by_tokens": {"misaligned": sum(c.misaligned for c in counts.values()),
                                   "nested_left_out": sum(c.nested_left_out for c in counts.values())}}


def release_json(release, counts: dict, groups_report: dict) -> bytes:
    return json.dumps({
        "project": release.project.slug, "name": release.name, "notes": release.notes,
        "created_at": release.created_at.isoformat(), "options": release.options,
        "schema_version": release.schema_version, "tokenizer_version": release.tokenizer_version,
        "counts": counts, "near_duplicates": groups_report,
    }, ensure_ascii=False, indent=2).encode()


@contextlib.contextmanager
def work_folder() -> Iterator[str]:
    folder = tempfile.mkdtemp(prefix="haber-release-")
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
