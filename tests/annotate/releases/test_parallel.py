"""The release built by worker processes (PostgreSQL, outside a transaction: as the job worker runs it) gives
the same files as the build in the job's own process, byte for byte (each worker reads the job's exported
snapshot of the database)."""

import pytest
from django.db import connection

from annotate.models import Release
from annotate.releases import bundle
from annotate.releases.services import release_cut
from jobs.worker import run_pending

pytestmark = pytest.mark.django_db(transaction=True)


def _files(release) -> dict[str, str]:
    return {e["name"]: e["sha256"] for e in release.files if e["name"].startswith(("data/", "conll/", "spacy/"))}


def test_workers_write_what_the_job_alone_writes(releasable, settings, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("worker processes read PostgreSQL's exported snapshot; SQLite builds in the job's process")
    original = bundle.worker_context
    monkeypatch.setattr(bundle, "RANGE", 16)  # 72 documents: five ranges
    project, manager = releasable["project"], releasable["manager"]
    settings.RELEASE_WORKERS = 1
    release_cut(project=project, by=manager, name="alone")
    run_pending()
    settings.RELEASE_WORKERS = 2
    pools = []
    monkeypatch.setattr(bundle, "worker_context", lambda: pools.append(1) or original())
    release_cut(project=project, by=manager, name="workers")
    run_pending()
    assert pools == [1]  # built by worker processes
    alone, workers = Release.objects.get(name="alone"), Release.objects.get(name="workers")
    assert (alone.state, workers.state) == ("ready", "ready"), (alone.error, workers.error)
    assert len([name for name in _files(workers) if name.startswith("spacy/train/")]) == 5
    assert _files(alone) == _files(workers)
    assert alone.counts == workers.counts
    assert alone.report["near_duplicates"] == workers.report["near_duplicates"]
