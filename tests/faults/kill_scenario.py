"""Steps of tests/faults/test_worker_killed.py and test_database_outage.py, run in processes of their own
against the database that DATABASE_URL names (a real one, not the test runner's):

    kill_scenario.py submit ARTICLES DIR [COLLECTION]   an import job of ARTICLES articles; prints its id
    kill_scenario.py state JOB COLLECTION             the job and the collection's documents, as JSON
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.files import File  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402

from corpus.jobs import documents_import_enqueue  # noqa: E402
from corpus.models import Collection, Document  # noqa: E402
from corpus.services import collection_create  # noqa: E402
from jobs.models import Job  # noqa: E402

WORDS = ["Ankara", "ile", "Tiran", "arasında", "dışişleri", "bakanları", "bugün", "ortak", "bir", "açıklama", "yaptı", "ve", "işbirliği"]


def submit(count: int, folder: Path, slug: str = "wire") -> None:
    user = get_user_model().objects.filter(username="importer").first() or get_user_model().objects.create_user(
        "importer", is_staff=True)
    collection = Collection.objects.filter(slug=slug).first() or collection_create(slug=slug)
    path = folder / f"{slug}-{count}.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for number in range(count):
            text = " ".join(WORDS[(number + i) % len(WORDS)] for i in range(40)) + f" Haber {number}."
            out.write(json.dumps({"text": text, "id": f"a{number}"}, ensure_ascii=False) + "\n")
    with path.open("rb") as stream:
        upload = File(stream, name=path.name)
        job = documents_import_enqueue(owner=user, files=[upload], collection=collection, fmt="jsonl", language="tr",
                                       encoding=None, skip_invalid=False)
    print(job.pk)


def state(job_id: str, slug: str) -> None:
    job = Job.objects.get(pk=job_id)
    task = DBTaskResult.objects.get(pk=job.task_id)
    print(json.dumps({"state": job.state, "done": job.done, "total": job.total, "error": job.error,
                      "attempts": job.attempts, "worker": job.worker_id, "task": task.status,
                      "documents": Document.objects.filter(collection__slug=slug).count()}))


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    if command == "submit":
        submit(int(args[0]), Path(args[1]), *args[2:])
    else:
        state(*args)
