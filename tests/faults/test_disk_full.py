"""A full disk (#29 item 7): the storage raises OSError(ENOSPC) partway through writing. An export written to a
file fails with a message and offers no part of a file; an upload stored for an import job answers 507 with
a message, and leaves neither a job nor a file behind."""

import errno
import io
from pathlib import Path

import pytest
from django.core.files.storage import default_storage

from annotate.models import Role
from jobs.models import Job
from tests.factories import import_texts, make_collection, make_project, make_user
from tests.jobs_helpers import job_finished

pytestmark = pytest.mark.slow


def _full_after(monkeypatch, good_writes: int):
    """The storage writes `good_writes` files, then the disk is full halfway into the next (a partial file
    is left where the write stopped, as a real full disk leaves one)."""
    real_save = default_storage.save
    calls = {"n": 0}

    def save(name, content, max_length=None):
        calls["n"] += 1
        if calls["n"] > good_writes:
            partial = Path(default_storage.path(name))
            partial.parent.mkdir(parents=True, exist_ok=True)
            partial.write_bytes(b"half a fi")
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_save(name, content, max_length=max_length)

    monkeypatch.setattr(default_storage, "save", save)


@pytest.fixture
def project(db):
    collection = make_collection("wire")
    import_texts(collection, "Dışişleri Bakanı Hakan Fidan Ankara'da.", language="tr")
    manager = make_user("mgr", is_staff=True)
    return make_project("p", collections=[collection], overlap=1, members=[(manager, Role.MANAGER)]), manager


def test_an_export_file_on_a_full_disk_fails_with_a_message_and_no_file(client, project, monkeypatch):
    _project, manager = project
    client.force_login(manager)
    _full_after(monkeypatch, 0)
    job = job_finished(client, client.post("/api/v1/projects/p/export/file?format=jsonl"))
    assert job["state"] == "failed" and job["result"] is None
    assert job["error"].startswith("The export file could not be written (No space left on device); nothing was "
                                   "kept. Free some space on the server")
    assert default_storage.listdir(f"exports/{job['id']}")[1] == []  # the partial file is gone
    assert client.get(f"/api/v1/jobs/{job['id']}/file").status_code == 404


def test_an_upload_on_a_full_disk_answers_507_and_leaves_nothing(client, project, monkeypatch):
    _project, manager = project
    client.force_login(manager)
    client.raise_request_exception = False
    _full_after(monkeypatch, 1)  # the first file is stored, the second fills the disk
    files = []
    for n in range(2):
        upload = io.BytesIO(f'{{"text": "Haber {n}: Bakan Ankara\'da."}}\n'.encode())
        upload.name = f"part{n}.jsonl"
        files.append(upload)
    answer = client.post("/api/v1/collections/wire/import", {"files": files, "format": "jsonl"})
    assert answer.status_code == 507 and "disk is full" in answer.json()["detail"]
    assert not Job.objects.exists()
    assert not default_storage.exists("jobs") or all(
        default_storage.listdir(f"jobs/{folder}")[1] == [] for folder in default_storage.listdir("jobs")[0])
    upload = io.BytesIO('{"text": "Üçüncü haber: Bakü\'de temaslar."}\n'.encode())
    upload.name = "page.jsonl"
    from corpus.models import Collection

    wire = Collection.objects.get(slug="wire").pk
    page = client.post("/corpus/import/", {"collection": wire, "format": "auto", "files": [upload]})
    assert page.status_code == 507 and "<h1>The server's disk is full</h1>" in page.content.decode()
    assert not Job.objects.exists()
