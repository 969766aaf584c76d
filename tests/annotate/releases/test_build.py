"""A release built by its job: the zip's files, their checksums, the splits and the near-duplicate groups."""

import hashlib
import io
import json
import zipfile

import pytest
from django.core.files.storage import default_storage

from annotate.interop.options import parse_split, split_of
from annotate.models import Release, ReleaseImmutable, ReleaseState
from annotate.releases.services import release_cut
from corpus.models import Document
from tests.jobs_helpers import last_job_run

pytestmark = pytest.mark.django_db


def built(project, by, name="2026.12", **options) -> Release:
    release, _job = release_cut(project=project, by=by, name=name, **options)
    job = last_job_run()
    assert job.state == "succeeded", job.error
    return Release.objects.get(pk=release.pk)


def bundle(release) -> dict[str, bytes]:
    with default_storage.open(release.path, "rb") as stored:
        archive = zipfile.ZipFile(io.BytesIO(stored.read()))
    folder = release.filename.removesuffix(".zip") + "/"
    return {name.removeprefix(folder): archive.read(name) for name in archive.namelist()}


def jsonl(data: bytes) -> list[dict]:
    return [json.loads(line) for line in data.decode().splitlines()]


def test_a_release_holds_every_gold_document_once_in_its_split(releasable):
    project = releasable["project"]
    release = built(project, releasable["manager"], notes="First cut")
    assert release.state == ReleaseState.READY and release.sha256 and release.bytes > 0
    files = bundle(release)
    records = {name: jsonl(files[f"data/{name}.jsonl"]) for name in ("train", "dev", "test")}
    seen = [r["id"] for split in records.values() for r in split]
    assert sorted(seen) == sorted([*releasable["gold"], *releasable["twins"]])
    assert all(r["split"] == name for name, split in records.items() for r in split)
    assert release.counts["documents"] == len(seen) == sum(f["documents"] for f in release.counts["splits"].values())
    assert release.schema_version == project.schema_version and release.tokenizer_version
    assert release.schema["entities"] and release.guidelines == project.guidelines


def test_the_checksums_name_every_file_and_match_it(releasable):
    release = built(releasable["project"], releasable["manager"])
    files = bundle(release)
    listed = dict(reversed(line.split("  ", 1)) for line in files["checksums.sha256"].decode().splitlines())
    assert set(listed) == set(files) - {"checksums.sha256"}
    for name, digest in listed.items():
        assert hashlib.sha256(files[name]).hexdigest() == digest, name
    assert {e["name"]: e["sha256"] for e in release.files} == listed
    with default_storage.open(release.path, "rb") as stored:
        assert hashlib.sha256(stored.read()).hexdigest() == release.sha256


def test_near_duplicates_never_straddle_splits(releasable):
    """Each planted copy (a few words added) is grouped with its original and lands in its split, which is
    the original's own (the first imported anchors the group)."""
    release = built(releasable["project"], releasable["manager"])
    files = bundle(release)
    split_of_doc = {r["id"]: name for name in ("train", "dev", "test") for r in jsonl(files[f"data/{name}.jsonl"])}
    spec = parse_split(release.options["split"])
    hashes = dict(Document.objects.values_list("pk", "text_sha256"))
    for twin, original in releasable["twins"].items():
        assert split_of_doc[twin] == split_of_doc[original] == split_of(hashes[original], spec)
    report = release.report["near_duplicates"]
    assert report["groups"] >= len(releasable["twins"])
    grouped = {tuple(sorted(e["documents"])) for e in report["examples"]}
    assert all(len(g) >= 2 for g in grouped)
    # without the grouping, some twin would have been elsewhere: the test plants enough to show it
    assert any(split_of(hashes[t], spec) != split_of(hashes[o], spec) for t, o in releasable["twins"].items())


def test_a_built_release_cannot_be_altered(releasable):
    release = built(releasable["project"], releasable["manager"])
    release.notes = "changed"
    with pytest.raises(ReleaseImmutable):
        release.save()
    with pytest.raises(ReleaseImmutable):
        release.save(update_fields=["notes"])


def test_the_card_has_the_hub_header_and_the_figures(releasable):
    import yaml

    release = built(releasable["project"], releasable["manager"], license="cc-by-4.0")
    readme = bundle(release)["README.md"].decode()
    header = yaml.safe_load(readme.split("---\n")[1])
    assert header["language"] == ["tr"] and header["license"] == "cc-by-4.0"
    assert header["task_categories"] == ["token-classification"] and header["size_categories"] == ["n<1K"]
    assert {s["split"]: s["path"] for s in header["configs"][0]["data_files"]} == {
        n: f"data/{n}.jsonl" for n in ("train", "dev", "test")}
    assert {s["name"]: s["num_examples"] for s in header["dataset_info"]["splits"]} == {
        n: f["documents"] for n, f in release.counts["splits"].items()}
    assert "| entities | PER |" in readme and "Gold coverage: 60 of the project's 72 documents" in readme
    assert "near_duplicates" in release.report and release.report["readme"] == readme
