"""The agreement report over a project's submitted sets: per layer and label, pairwise F1, kappa and alpha,
from the database in a constant number of queries; the page, the API and the CSV for curators only."""

import json

import pytest
from django.core.management import call_command

from annotate.quality.agreement.report import project_tally, report_data
from tests.factories import EXPORT_TEXT as TEXT
from tests.factories import import_texts, make_annotator, make_collection, make_project


def sets_file(tmp_path, name, entities, events=()):
    record = {"text": TEXT, "entities": [], "events": []}
    for i, (needle, label) in enumerate(entities):
        start = TEXT.index(needle)
        record["entities"].append({"id": f"e{i}", "start": start, "end": start + len(needle), "label": label})
    for needle, kind, arguments in events:
        start = TEXT.index(needle)
        record["events"].append({"type": kind, "trigger": {"start": start, "end": start + len(needle)},
                                 "arguments": [{"role": role, "entity_id": f"e{i}"} for role, i in arguments]})
    path = tmp_path / f"{name}.jsonl"
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def disagreeing(db, tmp_path):
    """Two annotators on one document: they agree on Rusya (GPE) and on the meeting, disagree on Lavrov's
    extent and on Pekin's label, and give the meeting one common participant and one not."""
    collection = make_collection("wire")
    import_texts(collection, TEXT, language="tr")
    project = make_project("agree", collections=[collection], overlap=2)
    for name, entities, arguments in [
        ("ayse", [("Rusya", "GPE"), ("Sergey Lavrov", "PER"), ("Pekin", "GPE")], [("participant", 0), ("participant", 1)]),
        ("besa", [("Rusya", "GPE"), ("Lavrov", "PER"), ("Pekin", "LOC")], [("participant", 0), ("place", 2)]),
    ]:
        make_annotator(project, name)
        path = sets_file(tmp_path, name, entities, [("görüştü", "MEETING", arguments)])
        call_command("import_annotations", "agree", str(path), "--as", name)
    return project


def test_the_report_scores_each_layer_and_label(disagreeing, django_assert_max_num_queries):
    with django_assert_max_num_queries(16):  # a constant: none per document (batches of 500)
        data = report_data(project_tally(disagreeing))
    assert data["documents"] == 1 and data["annotators"] == ["ayse", "besa"]
    entity = data["layers"]["entity"]
    pair = entity["labels"]["*"]["pairs"]["ayse|besa"]
    assert pair["spans"] == [3, 3]
    assert pair["exact_f1"] == pytest.approx(1 / 3)  # only Rusya
    assert pair["overlap_f1"] == pytest.approx(2 / 3)  # and Lavrov inside Sergey Lavrov
    assert entity["labels"]["GPE"]["pairs"]["ayse|besa"]["exact_f1"] == pytest.approx(2 / 3)
    assert entity["labels"]["LOC"]["pairs"]["ayse|besa"]["exact_f1"] == 0.0
    assert -1 <= entity["kappa"]["ayse|besa"] < 1 and entity["alpha"] < 1
    trigger = data["layers"]["trigger"]
    assert trigger["labels"]["MEETING"]["pairs"]["ayse|besa"]["exact_f1"] == 1.0 and trigger["kappa"]["ayse|besa"] == 1.0
    argument = data["layers"]["argument"]["labels"]
    assert argument["*"]["pairs"]["ayse|besa"]["exact_f1"] == pytest.approx(0.5)  # Rusya as participant
    assert argument["participant"]["pairs"]["ayse|besa"]["overlap_f1"] == pytest.approx(2 / 3)


def test_filters_leave_out_other_collections_and_dates(disagreeing):
    other = make_collection("elsewhere")
    assert project_tally(disagreeing, collection=other).documents == 0
    assert project_tally(disagreeing, finished_to="2000-01-01").documents == 0
    assert project_tally(disagreeing, finished_from="2000-01-01").documents == 1


def test_the_page_the_csv_and_the_api_for_curators_only(client, disagreeing, django_user_model):
    from annotate.models import Role
    from annotate.services import membership_add

    curator = django_user_model.objects.create_user("cura", password="x")
    membership_add(project=disagreeing, user=curator, role=Role.CURATOR)
    client.force_login(django_user_model.objects.get(username="ayse"))  # an annotator sees no one's agreement
    for url in ("/annotate/p/agree/agreement", "/annotate/p/agree/agreement.csv", "/api/v1/projects/agree/agreement"):
        assert client.get(url).status_code == 403, url
    client.force_login(curator)
    page = client.get("/annotate/p/agree/agreement")
    html = page.content.decode()
    assert page.status_code == 200 and '<svg class="heatmap"' in html and '<svg class="bars"' in html
    assert "ayse|besa" in html and "Event arguments" in html
    assert html.count("Nothing to compare in this layer") == 1  # boilerplate: nobody marked any
    assert "No document has two submitted sets yet within these filters" in client.get(
        "/annotate/p/agree/agreement?to=2000-01-01").content.decode()
    rows = client.get("/annotate/p/agree/agreement.csv").content.decode().splitlines()
    assert rows[0].startswith("layer,label,pair,exact_f1") and "entity,*,ayse|besa,0.3333,0.6667,3,3,," in rows
    api = client.get("/api/v1/projects/agree/agreement").json()
    assert api["layers"]["entity"]["labels"]["*"]["pairs"]["ayse|besa"]["spans"] == [3, 3]
    bad = client.get("/api/v1/projects/agree/agreement?from=yesterday")
    assert bad.status_code == 400 and "`from` must be a date" in bad.json()["detail"]
    slip = client.get("/api/v1/projects/agree/agreement?collections=wire")  # not the whole project, silently
    assert slip.status_code == 400 and slip.json()["detail"] == (
        "Unknown parameter: collections (did you mean collection?). This request takes: collection, from, to.")
    assert client.get("/annotate/p/agree/agreement?collection=nope").status_code == 400
    nothing = client.get("/annotate/p/agree/agreement.csv?to=2000-01-01").content.decode()
    assert "ayse|besa" not in nothing and nothing.startswith("layer,label,pair")  # no set submitted by then


def test_a_report_recomputes_only_the_documents_whose_sets_changed(disagreeing, tmp_path, monkeypatch):
    """Each document's tally is kept; after one more submission only that document is computed again, and
    the sum equals a report computed from nothing."""
    import uuid

    from annotate.models import DocumentAgreement, Label, Task
    from annotate.quality.agreement import report as report_module
    from annotate.services import annotation_apply, task_reopen, task_submit
    from tests.factories import make_user

    collection = disagreeing.collections.get()
    import_texts(collection, "Tiran'da Edi Rama ile Recep Tayyip Erdoğan görüştü.", language="tr")
    for name in ("ayse", "besa"):  # a second document, the same for both
        path = tmp_path / f"second-{name}.jsonl"
        text = "Tiran'da Edi Rama ile Recep Tayyip Erdoğan görüştü."
        path.write_text(json.dumps({"text": text, "entities": [{"start": 0, "end": 5, "label": "GPE"}]}), "utf-8")
        call_command("import_annotations", "agree", str(path), "--as", name)
    computed = []
    real = report_module._batch_jobs

    def counting(project, batch):
        computed.extend(doc for doc, _ in batch)
        return real(project, batch)

    monkeypatch.setattr(report_module, "_batch_jobs", counting)
    first = report_data(project_tally(disagreeing))
    assert first["documents"] == 2 and len(computed) == 2 and DocumentAgreement.objects.count() == 2
    computed.clear()
    assert report_data(project_tally(disagreeing)) == first and computed == []  # nothing changed

    task = Task.objects.get(project=disagreeing, annotator__username="ayse", document__text__startswith="Rusya")
    task_reopen(task=task, by=make_user("cura"), comment="Mark the date too.")
    date = Label.objects.get(project=disagreeing, name="DATE")
    start = TEXT.index("salı günü")
    annotation_apply(task=Task.objects.get(pk=task.pk), by=task.annotator, op_id=uuid.uuid4(),
                     base_version=Task.objects.get(pk=task.pk).version, action="span.create",
                     payload={"id": str(uuid.uuid4()), "label": date.pk, "start": start, "end": start + 9})
    task_submit(task=Task.objects.get(pk=task.pk), by=task.annotator)
    updated = report_data(project_tally(disagreeing))
    assert computed == [task.document_id]  # only the changed document
    DocumentAgreement.objects.all().delete()  # the total no longer matches what is kept: it starts over
    assert updated == report_data(project_tally(disagreeing))  # the same as from nothing
    assert updated != first


def test_a_schema_change_makes_every_kept_tally_stale(disagreeing, monkeypatch):
    from django.db.models import F

    from annotate.models import Project
    from annotate.quality.agreement import report as report_module

    report_data(project_tally(disagreeing))
    computed = []
    real = report_module._batch_jobs
    monkeypatch.setattr(report_module, "_batch_jobs",
                        lambda project, batch: computed.extend(d for d, _ in batch) or real(project, batch))
    Project.objects.filter(pk=disagreeing.pk).update(schema_version=F("schema_version") + 1)  # a label renamed
    disagreeing.refresh_from_db()
    report_data(project_tally(disagreeing))
    assert len(computed) == 1


def test_documents_ready_for_curation_come_lowest_agreement_first(client, disagreeing, tmp_path, django_user_model):
    """Ready: every assigned annotator has submitted or skipped. The queue orders them by agreement, and
    the curator's home page counts them."""
    from annotate.models import Role, Task, TaskStatus
    from annotate.services import membership_add

    collection = disagreeing.collections.get()
    agreed = "Tiran'da Edi Rama ile Recep Tayyip Erdoğan görüştü."
    open_text = "Ankara'da zirve yapıldı."
    import_texts(collection, agreed, open_text, language="tr")
    for name in ("ayse", "besa"):
        path = tmp_path / f"agreed-{name}.jsonl"
        path.write_text(json.dumps({"text": agreed, "entities": [{"start": 0, "end": 5, "label": "GPE"}]}), "utf-8")
        call_command("import_annotations", "agree", str(path), "--as", name)
    path = tmp_path / "open.jsonl"
    path.write_text(json.dumps({"text": open_text, "entities": [{"start": 0, "end": 6, "label": "GPE"}]}), "utf-8")
    call_command("import_annotations", "agree", str(path), "--as", "ayse")
    waiting = Task.objects.get(document__text=open_text)
    Task.objects.create(project=disagreeing, document=waiting.document, collection=collection,
                        annotator=django_user_model.objects.get(username="besa"), assigned_at=waiting.assigned_at,
                        status=TaskStatus.ASSIGNED)  # besa has not submitted this one yet
    curator = django_user_model.objects.create_user("cura", password="x")
    membership_add(project=disagreeing, user=curator, role=Role.CURATOR)
    client.force_login(curator)
    page = client.get("/annotate/p/agree/curation").content.decode()
    assert "Ready for curation <small>2</small>" in page and "Ankara&#x27;da zirve" not in page
    assert page.index("Rusya") < page.index("Tiran")  # 0.38 before 1.00
    assert "Ready for curation: 2" in client.get("/").content.decode()


def test_worker_processes_compute_the_same_report(disagreeing, tmp_path, monkeypatch):
    """Many documents are computed in worker processes (spawned, without Django): the report is the same
    as computed here, and the tallies kept are the same."""
    from annotate.models import DocumentAgreement
    from annotate.quality.agreement import report as report_module

    here = report_data(project_tally(disagreeing))
    kept = dict(DocumentAgreement.objects.values_list("document_id", "tally"))
    DocumentAgreement.objects.all().delete()
    monkeypatch.setattr(report_module, "PARALLEL_FROM", 0)
    monkeypatch.setattr(report_module, "_workers", lambda: 2)
    assert report_data(project_tally(disagreeing)) == here
    assert dict(DocumentAgreement.objects.values_list("document_id", "tally")) == kept
