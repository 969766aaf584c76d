"""A tiny training run end to end (issue #34 item 8): started through the API, four epochs, the splits kept
apart, the run scored on its test split, its predictions stored as a model's sets and suggested, the Models
page, and the download loaded with spacy.load outside the app giving the app's predictions."""

import io
import json
import subprocess
import sys
import tarfile

import pytest

from annotate.models import Task, TrainedModel
from annotate.services import tasks_assign
from annotate.suggestions.compute import suggestions_for
from annotate.training.archive import archive_opened
from annotate.training.data import Sample
from annotate.training.pipeline import run_pipeline
from annotate.training.splits import split_of
from corpus.models import Document, DocumentTokens
from corpus.tokens import unpack_indexes, unpack_tokens
from jobs.models import Job

pytestmark = pytest.mark.slow

OUTSIDE = """
import json, sys
import spacy
from spacy.tokens import Doc
nlp = spacy.load(sys.argv[1])
out = []
for words, spaces in json.load(sys.stdin):
    out.append({name: [[e.label_, e.start_char, e.end_char] for e in pipe(Doc(nlp.vocab, words=words, spaces=spaces)).ents]
                for name, pipe in nlp.pipeline})
print(json.dumps(out))
"""


def _sample(pk):
    document = Document.objects.get(pk=pk)
    tokens, sentences = DocumentTokens.objects.values_list("tokens", "sentences").get(document_id=pk)
    return Sample(pk, document.text, document.language, unpack_tokens(tokens), unpack_indexes(sentences))


def test_a_run_trains_scores_suggests_and_downloads(client, trainable, run_jobs, tmp_path):
    project, gold = trainable["project"], trainable["gold"]
    client.force_login(trainable["manager"])
    response = client.post("/api/v1/projects/p/models/train", {"settings": {"max_epochs": 4, "batch_words": 50}},
                           content_type="application/json")
    assert response.status_code == 202, response.content
    assert response.json()["run"]["model"] == "haber:p:1" and response.json()["run"]["state"] == "training"
    again = client.post("/api/v1/projects/p/models/train", {}, content_type="application/json")
    assert again.status_code == 409 and "already under way" in again.json()["detail"]
    run_jobs()
    train_job, predict_job = Job.objects.order_by("created_at")
    assert (train_job.kind, train_job.state, predict_job.kind, predict_job.state) == (
        "models.train", "succeeded", "models.predict", "succeeded"), (train_job.error, predict_job.error)
    trained = TrainedModel.objects.get(project=project)
    assert trained.state == "ready" and trained.version == "haber:p:1" and len(trained.curve) == 4
    assert train_job.result["epochs"] == 4 and (train_job.done, train_job.total) == (4, 4)
    # The splits: each gold document in the split its id's hash says, the test split never trained on.
    expected = {name: sum(split_of(pk) == name for pk in gold) for name in ("train", "dev", "test")}
    assert {name: trained.counts[name]["documents"] for name in expected} == expected
    assert expected["test"] > 0 and trained.scores["documents"] == expected["test"]
    assert set(trained.scores["layers"]) == {"entities", "event triggers", "boilerplate"}
    assert 0 <= trained.scores["total"]["exact"]["f1"] <= 1 and "arguments" in trained.scores
    assert all(entry["dev_f1"] is not None for entry in trained.curve) == (expected["dev"] > 0)
    # Predictions: every document without gold, and the test split's gold documents (where they are scored).
    predicted = set(Task.objects.filter(project=project, annotator__username="model:haber:p:1")
                    .values_list("document_id", flat=True))
    without_gold = set(trainable["written"]) - set(gold)
    assert predicted == without_gold | {pk for pk in gold if split_of(pk) == "test"}
    project.refresh_from_db()
    assert project.model_in_use == "haber:p:1" and project.suggest_predictions
    # ... suggested to the annotator of a document without gold.
    tasks_assign(project=project, annotators=[trainable["annotator"]], overlap=1)
    marked = Task.objects.filter(annotator__username="model:haber:p:1", document_id__in=without_gold,
                                 spans__isnull=False).values("document_id")
    task = Task.objects.filter(annotator=trainable["annotator"], document_id__in=marked).first()
    labels = {label.pk: label for label in project.labels.all()}
    assert task is not None and "model:haber:p:1" in {s.origin for s in suggestions_for(task, own=[], labels=labels)}
    # The Models page: the run with its test F1, and the version scored on the test split by the page's code.
    client.force_login(trainable["curator"])
    page = client.get("/annotate/p/p/models").content.decode()
    assert "haber:p:1" in page and "Train a model" not in page  # a curator does not start runs
    report = client.get("/api/v1/projects/p/models?model=haber:p:1").json()
    assert report["report"]["documents"] == expected["test"]
    # The download, loaded outside the app, predicts what the app predicts.
    archive = client.get("/api/v1/projects/p/models/haber:p:1/download")
    assert archive.status_code == 200 and archive["Content-Type"] == "application/gzip"
    with tarfile.open(fileobj=io.BytesIO(b"".join(archive.streaming_content)), mode="r:gz") as tar:
        tar.extractall(tmp_path / "download", filter="data")
    [folder] = [p for p in (tmp_path / "download").iterdir() if p.is_dir()]
    meta = json.loads((folder / "meta.json").read_text())
    assert meta["haber"]["model"] == "haber:p:1" and meta["haber"]["counts"]["train"]["documents"] == expected["train"]
    assert set(meta["labels"]) == {"ner", "triggers", "boilerplate"} and "PER" in meta["labels"]["ner"]
    samples = [_sample(pk) for pk in sorted(without_gold)[:8]]
    words = [list(s.layout()[:2]) for s in samples]
    outside = subprocess.run([sys.executable, "-c", OUTSIDE, str(folder)], input=json.dumps(words),
                             capture_output=True, text=True, check=True, timeout=120)
    with archive_opened(trained.path) as (nlp, _table):
        inside = [marks for _sample_, marks in run_pipeline(nlp, samples)]
    for sample, theirs, ours in zip(samples, json.loads(outside.stdout), inside, strict=True):
        assert {name: [tuple(span) for span in spans] for name, spans in theirs.items()} == ours
        assert all(sample.text[a:b] == sample.text[a:b].strip() for marks in ours.values() for _l, a, b in marks)
    assert any(ours[name] for ours in inside for name in ours)  # the comparison compared something


def test_only_managers_start_runs_and_bad_settings_are_refused(client, trainable):
    client.force_login(trainable["curator"])
    assert client.post("/api/v1/projects/p/models/train", {}, content_type="application/json").status_code == 403
    client.force_login(trainable["annotator"])
    assert client.post("/api/v1/projects/p/models/train", {}, content_type="application/json").status_code == 403
    client.force_login(trainable["manager"])
    bad = client.post("/api/v1/projects/p/models/train", {"settings": {"max_epochs": 0}},
                      content_type="application/json")
    assert bad.status_code == 400 and "max_epochs must be a whole number from 1 to 100" in bad.json()["detail"]
    unknown = client.post("/api/v1/projects/p/models/train", {"settings": {"lr": 1}}, content_type="application/json")
    assert unknown.status_code == 400 and "Unknown training setting 'lr'" in unknown.json()["detail"]
    use = client.post("/api/v1/projects/p/models/use", {"version": "haber:p:9"}, content_type="application/json")
    assert use.status_code == 400 and "No finished model 'haber:p:9'" in use.json()["detail"]
    assert client.get("/api/v1/projects/p/models/haber:p:9/download").status_code == 404
    assert not TrainedModel.objects.exists() and not Job.objects.exists()


def test_a_project_without_gold_is_told_what_to_do(client, db):
    from annotate.models import Role
    from tests.factories import make_collection, make_project, make_user

    manager = make_user("m")
    make_project("empty", collections=[make_collection()], members=[(manager, Role.MANAGER)])
    client.force_login(manager)
    answer = client.post("/api/v1/projects/empty/models/train", {}, content_type="application/json")
    assert answer.status_code == 400 and "no accepted gold set yet" in answer.json()["detail"]
