"""The import page: a manager brings an annotation file in from the browser, as the API and the command do
(found using the product as a manager migrating from doccano: the API and the command could, no page could)."""

import json

from django.core.files.uploadedfile import SimpleUploadedFile

from annotate.models import Role, Span, Task
from corpus.models import Collection, Document
from jobs.models import Job
from tests.factories import make_collection, make_documents, make_project, make_user

TEXT = "Rusya'nın Dışişleri Bakanı Lavrov Pekin'de görüştü."


def doccano(*records) -> SimpleUploadedFile:
    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    return SimpleUploadedFile("from-doccano.jsonl", lines.encode())


def setup(db_permissions=()):
    collection = make_collection("wire")
    make_documents(collection, 1)
    manager = make_user("mgr", permissions=db_permissions)
    ayse = make_user("ayse")
    project = make_project("p", collections=[collection], overlap=1,
                           members=[(manager, Role.MANAGER), (ayse, Role.ANNOTATOR)])
    return project, manager, ayse


def test_only_a_manager_imports_and_the_form_offers_the_projects_annotators(client, db):
    _project, manager, ayse = setup()
    client.force_login(ayse)
    assert client.get("/annotate/p/p/import").status_code == 403
    assert client.post("/annotate/p/p/import", {"format": "doccano", "annotator": "ayse",
                                                "file": doccano({"text": TEXT, "label": []})}).status_code == 403
    assert not Job.objects.exists()
    client.force_login(manager)
    page = client.get("/annotate/p/p/import").content.decode()
    assert '<option value="ayse">ayse</option>' in page and '<option value="doccano">doccano (JSONL)</option>' in page
    assert 'hx-post="/annotate/p/p/import"' in page and 'id="upload-progress"' in page
    assert '<a href="/annotate/p/p/import">Import</a>' in client.get("/annotate/p/p/").content.decode()


def test_a_doccano_file_becomes_submitted_sets_on_new_documents_with_the_report_in_the_page(client, db, run_jobs):
    project, manager, ayse = setup(db_permissions=["corpus.add_document", "corpus.view_document"])
    client.force_login(manager)
    upload = doccano({"text": TEXT, "label": [[0, 5, "GPE"], [27, 33, "PER"]]},
                     {"text": "Arnavutluk Başbakanı Tiran'da konuştu.", "label": [[0, 10, "GPE"]]})
    response = client.post("/annotate/p/p/import", {"file": upload, "format": "doccano", "annotator": "ayse",
                                                    "collection": "from-doccano", "attach_collection": "on",
                                                    "language": "tr", "sentences_per_document": "1"},
                           HTTP_HX_REQUEST="true")
    content = response.content.decode()
    job = Job.objects.get()
    assert response.status_code == 202 and content.lstrip().startswith('<section id="import-result"')
    assert f'hx-get="/jobs/{job.pk}/"' in content and "<html" not in content
    run_jobs()
    status = client.get(job.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
    assert "Annotation import report" in status and "Imported 2 sets" in status and "2 new documents" in status
    tasks = Task.objects.filter(project=project, annotator=ayse)
    assert tasks.count() == 2 and set(tasks.values_list("status", flat=True)) == {"submitted"}
    rusya = Span.objects.get(task__document__text=TEXT, label__name="GPE")
    assert TEXT[rusya.start:rusya.end] == "Rusya"
    assert Collection.objects.get(slug="from-doccano").documents.count() == 2 and Document.objects.count() == 3


def test_without_htmx_the_page_goes_to_the_jobs_page(client, db, run_jobs):
    _project, manager, _ayse = setup()
    client.force_login(manager)
    text = Document.objects.get().text
    response = client.post("/annotate/p/p/import", {"file": doccano({"text": text, "label": [[0, 5, "ORG"]]}),
                                                    "format": "doccano", "annotator": "ayse", "language": "tr",
                                                    "sentences_per_document": "1"})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    run_jobs()
    assert "Imported 1 set" in client.get(response["Location"]).content.decode()


def test_what_the_request_gets_wrong_is_said_at_once_and_nothing_is_queued(client, db):
    _project, manager, _ayse = setup()
    client.force_login(manager)
    base = {"format": "doccano", "annotator": "ayse", "language": "tr", "sentences_per_document": "1"}

    def post(**fields):
        return client.post("/annotate/p/p/import", {"file": doccano({"text": TEXT, "label": []}), **base, **fields},
                           HTTP_HX_REQUEST="true")

    unknown = post(annotator="ghost")
    assert unknown.status_code == 400 and "Select a valid choice" in unknown.content.decode()
    units = post(format="jsonl", offsets="utf16")
    assert units.status_code == 400 and "A jsonl file has no offset unit to choose" in units.content.decode()
    nobody = post(annotator="")  # a doccano file does not say whose its sets are
    assert nobody.status_code == 400 and "mgr is not an annotator of project p" in nobody.content.decode()
    no_file = client.post("/annotate/p/p/import", base, HTTP_HX_REQUEST="true")
    assert no_file.status_code == 400 and "This field is required." in no_file.content.decode()
    refused = post(collection="elsewhere", attach_collection="on")  # creating documents needs the corpus right
    assert refused.status_code == 403 and "corpus import right" in refused.content.decode()
    assert not Job.objects.exists() and not Collection.objects.filter(slug="elsewhere").exists()


def test_a_label_studio_files_authors_are_mapped_to_annotators_in_the_page(client, db, run_jobs):
    _project, manager, ayse = setup()
    client.force_login(manager)
    text = Document.objects.get().text
    start = text.index("Rusya")
    tasks = [{"id": 1, "data": {"text": text}, "annotations": [{"completed_by": 17, "result": [
        {"from_name": "label", "to_name": "text", "type": "labels",
         "value": {"start": start, "end": start + 5, "text": "Rusya", "labels": ["GPE"]}}]}]}]

    def post(**fields):
        upload = SimpleUploadedFile("from-label-studio.json", json.dumps(tasks, ensure_ascii=False).encode())
        return client.post("/annotate/p/p/import", {"file": upload, "format": "labelstudio", "annotator": "",
                                                    "language": "tr", "sentences_per_document": "1", **fields},
                           HTTP_HX_REQUEST="true")

    bad = post(annotator_map='{"17": 5}')
    assert bad.status_code == 400 and "The annotator map must be a JSON object of authors to usernames" in bad.content.decode()
    wrong_format = client.post("/annotate/p/p/import", {
        "file": doccano({"text": text, "label": []}), "format": "doccano", "annotator": "ayse", "language": "tr",
        "sentences_per_document": "1", "annotator_map": '{"17": "ayse"}'}, HTTP_HX_REQUEST="true")
    assert wrong_format.status_code == 400 and "An annotator map is for files that say who made each set" in \
        wrong_format.content.decode()
    assert not Job.objects.exists()
    assert post(annotator_map='{"17": "ayse"}').status_code == 202
    run_jobs()
    span = Span.objects.get(task__annotator=ayse)
    assert text[span.start:span.end] == "Rusya" and span.label.name == "GPE"
