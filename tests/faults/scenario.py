"""Steps of the fault tests, run in processes of their own against the database DATABASE_URL names (the fault
tests' own PostgreSQL server, not the test runner's):

    scenario.py setup TEXT        a project whose one annotator (ayse, the tests' password) has one task on
                                  TEXT; prints {"url": …, "task": …}
    scenario.py state TASK        the task's spans and changes, as JSON
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from annotate.models import AnnotationChange, Role, Span, Task  # noqa: E402
from annotate.services import tasks_assign  # noqa: E402
from tests.factories import import_texts, make_collection, make_project, make_user  # noqa: E402


def setup(text: str) -> None:
    collection = make_collection("wire")
    import_texts(collection, text, language="tr", workers=1)
    user = make_user("ayse")
    project = make_project("p", collections=[collection], overlap=1, members=[(user, Role.ANNOTATOR)])
    tasks_assign(project=project, annotators=[user])
    task = Task.objects.get()
    print(json.dumps({"url": task.get_absolute_url(), "task": task.pk}))


def state(task_id: str) -> None:
    task = Task.objects.get(pk=task_id)
    spans = sorted((s.label.name, task.document.text[s.start:s.end]) for s in Span.objects.filter(task=task)
                   .select_related("label"))
    print(json.dumps({"spans": spans, "changes": AnnotationChange.objects.filter(task=task).count(),
                      "version": task.version}, ensure_ascii=False))


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    {"setup": setup, "state": state}[command](*args)
