"""The bundle read by the tools an ML engineer uses (issue #31 item 3): the JSONL by Hugging Face's
`datasets.load_dataset("json", …)` (also through the card's own `configs`), the DocBin shards by spaCy, the
CoNLL by seqeval's reading of IOB2, and the checksums by `sha256sum -c`."""

import shutil
import subprocess
import zipfile

import pytest
from django.core.files.storage import default_storage

from tests.annotate.releases.test_build import built

pytestmark = pytest.mark.django_db


@pytest.fixture
def unzipped(releasable, tmp_path):
    release = built(releasable["project"], releasable["manager"])
    with default_storage.open(release.path, "rb") as stored:
        zipfile.ZipFile(stored).extractall(tmp_path)
    return release, tmp_path / release.filename.removesuffix(".zip")


def test_datasets_loads_the_jsonl_by_split_and_by_the_card(unzipped, tmp_path, monkeypatch):
    datasets = pytest.importorskip("datasets")
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    release, folder = unzipped
    files = {name: str(folder / "data" / f"{name}.jsonl") for name in ("train", "dev", "test")}
    loaded = datasets.load_dataset("json", data_files=files, cache_dir=str(tmp_path / "cache"))
    assert {name: len(part) for name, part in loaded.items()} == {
        name: f["documents"] for name, f in release.counts["splits"].items()}
    row = loaded["train"][0]
    assert row["text"][row["entities"][0]["start"]:row["entities"][0]["end"]] == row["entities"][0]["text"]
    by_card = datasets.load_dataset(str(folder), cache_dir=str(tmp_path / "cache2"))
    assert {name: len(part) for name, part in by_card.items()} == {name: len(part) for name, part in loaded.items()}


def test_spacy_reads_the_docbin_shards_with_the_jsonl_entities(unzipped):
    import json

    import spacy
    from spacy.tokens import DocBin

    release, folder = unzipped
    nlp = spacy.blank("tr")
    docs = [doc for path in sorted((folder / "spacy" / "train").glob("*.spacy"))
            for doc in DocBin().from_disk(path).get_docs(nlp.vocab)]
    records = [json.loads(line) for line in (folder / "data" / "train.jsonl").read_text().splitlines()]
    assert len(docs) == len(records) == release.counts["splits"]["train"]["documents"]
    for doc, record in zip(docs, records, strict=True):
        assert doc.text == record["text"]
        assert [(e.start_char, e.end_char, e.label_) for e in doc.ents] == [
            (s["start"], s["end"], s["label"]) for s in record["entities"]]
        assert len(doc.spans["boilerplate"]) == len(record["boilerplate"])


def test_the_conll_reads_as_iob2_and_the_checksums_check(unzipped):
    from seqeval.metrics.sequence_labeling import get_entities

    release, folder = unzipped
    tags, entities = [], 0
    for line in (folder / "conll" / "train.conll").read_text().splitlines():
        if line and not line.startswith("-DOCSTART-"):
            tags.append(line.split(" ")[-1])
    entities = len(get_entities(tags))
    assert entities == sum(release.counts["splits"]["train"]["entities"].values())
    if shutil.which("sha256sum"):
        check = subprocess.run(["sha256sum", "--quiet", "-c", "checksums.sha256"], cwd=folder, capture_output=True)
        assert check.returncode == 0, check.stdout + check.stderr
