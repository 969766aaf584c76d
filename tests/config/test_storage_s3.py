"""Files on an S3-compatible object store (issue #31 item 6): a real S3 server (moto's server mode, started
here on a free port) behind the storage settings config/storage.py builds from the environment, and the
paths that keep files going through it: an upload read by its import job, an export file, a dataset
release (built, downloaded, compared) and a trained model's archive."""

import hashlib
import io
import socket

import pytest
from django.core.files.storage import default_storage
from django.test import override_settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from config.storage import s3_storage
from jobs.worker import run_pending

moto_server = pytest.importorskip("moto.server")
boto3 = pytest.importorskip("boto3")
BUCKET = "haber-files"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=_free_port(), verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3(s3_endpoint, settings):
    environ = {"STORAGE_S3_BUCKET": BUCKET, "STORAGE_S3_ENDPOINT_URL": s3_endpoint, "STORAGE_S3_REGION": "us-east-1",
               "STORAGE_S3_ACCESS_KEY_ID": "test", "STORAGE_S3_SECRET_ACCESS_KEY": "test",
               "STORAGE_S3_ADDRESSING_STYLE": "path", "STORAGE_S3_PREFIX": "haber"}
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1", aws_access_key_id="test",
                          aws_secret_access_key="test")
    client.create_bucket(Bucket=BUCKET)
    with override_settings(STORAGES={**settings.STORAGES, "default": s3_storage(environ)}):
        yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def _keys(client) -> list[str]:
    return sorted(item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def test_without_the_bucket_variable_files_stay_on_the_local_disk():
    assert s3_storage({}) is None


def test_a_release_is_built_into_the_object_store_and_downloaded_from_it(s3, releasable):
    assert default_storage.bucket_name == BUCKET  # the object store, not the disk
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=releasable['manager']).key}")
    for name in ("2026.12", "2027.01"):
        assert api.post("/api/v1/projects/p/releases", {"name": name}, format="json").status_code == 202
    run_pending()
    release = api.get("/api/v1/projects/p/releases/2026.12").json()
    assert release["state"] == "ready", release
    assert "haber/releases/p/p-2026.12.zip" in _keys(s3)
    stored = s3.get_object(Bucket=BUCKET, Key="haber/releases/p/p-2026.12.zip")["Body"].read()
    assert hashlib.sha256(stored).hexdigest() == release["sha256"]
    download = api.get(release["download"])
    assert hashlib.sha256(b"".join(download.streaming_content)).hexdigest() == release["sha256"]
    diff = api.get("/api/v1/projects/p/releases/2026.12/diff/2027.01").json()
    assert diff["documents"]["unchanged"] == 60 and diff["documents"]["changed"] == 0


def test_an_upload_and_an_export_file_go_through_the_object_store(s3, releasable):
    from tests.factories import make_user

    staff = make_user("importer", permissions=["corpus.view_document", "corpus.add_document"])
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=staff).key}")
    upload = io.BytesIO('{"text": "Ankara\'da bugün iki bakan görüştü.", "language": "tr"}\n'.encode())
    upload.name = "one.jsonl"
    response = api.post("/api/v1/collections/wire/import", {"files": [upload]}, format="multipart")
    assert response.status_code == 202, response.content
    assert any(key.startswith("haber/jobs/") and key.endswith("one.jsonl") for key in _keys(s3))
    run_pending()
    job = api.get(response.json()["url"]).json()
    assert job["state"] == "succeeded" and job["result"]["imported"] == 1, job

    manager = APIClient()
    manager.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=releasable['manager']).key}")
    started = manager.post("/api/v1/projects/p/export/file?source=gold&format=jsonl")
    assert started.status_code == 202, started.content
    run_pending()
    finished = manager.get(started.json()["url"]).json()
    assert finished["state"] == "succeeded", finished
    assert any(key.startswith("haber/exports/") for key in _keys(s3))
    file = manager.get(finished["url"] + "/file")
    assert file.status_code == 200 and b"".join(file.streaming_content).count(b"\n") == 60


def test_a_trained_models_archive_is_saved_and_opened_from_the_object_store(s3, tmp_path):
    import spacy

    from annotate.training.archive import archive_opened, archive_save

    nlp = spacy.blank("tr")
    nlp.add_pipe("ner").add_label("PER")
    nlp.initialize()
    path = archive_save(nlp, name="haber-p-1", arguments={"ATTACK": {}}, storage_path="models/p/1.tar.gz")
    assert "haber/models/p/1.tar.gz" in _keys(s3)
    with archive_opened(path) as (loaded, arguments):
        assert loaded.pipe_names == ["ner"] and arguments == {"ATTACK": {}}
