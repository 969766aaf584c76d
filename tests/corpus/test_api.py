import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from corpus.models import Document
from tests.factories import make_collection
from tests.jobs_helpers import job_finished

URL = "/api/v1/collections/{}/import"


def upload(name, data):
    return SimpleUploadedFile(name, data.encode() if isinstance(data, str) else data)


@pytest.fixture
def collection(db):
    return make_collection("wire")


@pytest.fixture
def token_client(corpus_manager):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=corpus_manager).key}")
    return client


def test_token_import_answers_202_with_a_job_whose_result_is_the_report(token_client, collection, seeds_dir):
    files = [upload(p.name, p.read_bytes()) for p in sorted(seeds_dir.iterdir())]
    response = token_client.post(URL.format("wire"), {"files": files}, format="multipart")
    assert response.status_code == 202
    queued = response.json()
    assert queued["state"] == "queued" and response["Location"] == queued["url"]
    assert queued["url"].endswith(f"/api/v1/jobs/{queued['id']}") and queued["kind"] == "documents.import"
    assert not Document.objects.exists()  # nothing happens in the request
    job = job_finished(token_client, response)
    assert job["state"] == "succeeded" and job["done"] == job["total"] == 5 and job["unit"] == "articles"
    report = {key: job["result"][key] for key in ("imported", "duplicates", "rejected", "committed")}
    assert report == {"imported": 5, "duplicates": 0, "rejected": [], "committed": True}
    assert Document.objects.filter(collection=collection).count() == 5


def test_session_authentication_works_for_staff(client, staff, collection):
    client.force_login(staff)
    response = client.post(URL.format("wire"), {"files": [upload("a.txt", " date 2026-01-01 Metin.")]})
    assert job_finished(client, response)["result"]["imported"] == 1


def test_bad_input_gives_400_with_file_line_and_reason(token_client, collection):
    bad = upload("bad.jsonl", '{"text": "iyi"}\n{"title": "metinsiz"}\n')
    response = token_client.post(URL.format("wire"), {"files": [bad]}, format="multipart")
    job = job_finished(token_client, response)
    assert job["state"] == "succeeded" and job["result"]["committed"] is False
    assert job["result"]["rejected"] == [
        {"file": "bad.jsonl", "line": 2, "reason": "the object has no `text`"}
    ]
    assert not Document.objects.exists()


def test_options_skip_invalid_format_and_language(token_client, collection):
    bad = upload("bad.data", '{"text": "iyi haber"}\n{"title": "metinsiz"}\n')
    response = token_client.post(
        URL.format("wire"),
        {"files": [bad], "skip_invalid": "true", "format": "jsonl", "language": "tr"},
        format="multipart",
    )
    assert job_finished(token_client, response)["result"]["imported"] == 1
    assert Document.objects.get().language == "tr"


@pytest.mark.parametrize(
    ("data", "field"), [({"format": "xml"}, "format"), ({"language": "Türkçe"}, "language")]
)
def test_invalid_parameters(token_client, collection, data, field):
    response = token_client.post(
        URL.format("wire"), {"files": [upload("a.txt", "metin")], **data}, format="multipart"
    )
    assert response.status_code == 400 and field in response.json()


def test_no_files(token_client, collection):
    response = token_client.post(URL.format("wire"), {}, format="multipart")
    assert response.status_code == 400 and "files" in response.json()["detail"]


def test_unknown_collection_is_404(token_client, collection):
    response = token_client.post(
        URL.format("nope"), {"files": [upload("a.txt", "metin")]}, format="multipart"
    )
    assert response.status_code == 404


def test_anonymous_and_annotators_are_refused(client, annotator, collection):
    assert APIClient().post(URL.format("wire"), {}, format="multipart").status_code == 401
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=annotator).key}")
    response = api.post(URL.format("wire"), {"files": [upload("a.txt", "metin")]}, format="multipart")
    assert response.status_code == 403 and json.loads(response.content)["detail"].startswith(
        "You may not import"
    )
    assert not Document.objects.exists()


def test_an_upload_over_the_request_budget_is_refused_with_the_command_to_use(token_client, collection, settings):
    settings.CORPUS_MAX_UPLOAD_BYTES = 50
    response = token_client.post(URL.format("wire"), {"files": [upload("a.jsonl", '{"text": "' + "Metin " * 20 + '"}')]},
                                 format="multipart")
    assert response.status_code == 413
    assert "python manage.py import_articles" in response.json()["detail"]
    assert not Document.objects.exists()


def test_a_zip_counts_as_it_would_uncompress(token_client, collection, settings):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.jsonl", '{"text": "' + "Metin " * 2000 + '"}\n')
    settings.CORPUS_MAX_UPLOAD_BYTES = 5000  # the archive is far smaller, its content is not
    response = token_client.post(URL.format("wire"), {"files": [upload("a.zip", buffer.getvalue())]}, format="multipart")
    assert response.status_code == 413
