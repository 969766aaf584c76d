"""The longest document an import takes (CORPUS_MAX_DOCUMENT_CHARS, 1,000,000 characters) opened in Chromium
(#29 item 6): the corpus document page and the annotation page of a task on it. Prints, for each page and
three loads each, the server's answer time, the size of the HTML, and the time until the page's load event
(navigation start to loadEventEnd: the text laid out and, on the annotation page, its script run).

    .venv/bin/python bench/long_document.py          (SQLite in var/, or DATABASE_URL)

Starts the development server on a free port, and leaves no data behind."""

import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import chromium_logged_in, collection_delete, dev_server, django_setup

PARAGRAPH = ("Dışişleri Bakanı Hakan Fidan, Arnavutluk Dışişleri Bakanı Elisa Spiropali ile Ankara'da bir araya "
             "geldi; iki bakan ikili ilişkileri, bölgesel gelişmeleri ve enerji alanındaki iş birliğini ele aldı. ")
LOADS = 3


def setup():
    from django.conf import settings
    from django.contrib.auth import get_user_model

    from annotate.models import Membership, Role, Task
    from annotate.services import project_create, tasks_assign
    from corpus.services import collection_create, documents_import
    from tests.factories import memory_input

    limit = settings.CORPUS_MAX_DOCUMENT_CHARS
    text = ""
    while len(text) < limit:
        text += PARAGRAPH * 3 + "\n"
    text = text[:limit - 1].rstrip() + "."
    stamp = int(time.time())
    collection = collection_create(slug=f"bench-long-{stamp}")
    report = documents_import(collection=collection, inputs=[memory_input("long.txt", text)], language="tr")
    assert report.imported == 1, report.summary()
    project = project_create(slug=f"bench-long-{stamp}", name="Bench long", schema="news-diplomacy",
                             collections=[collection], overlap=1)
    user = get_user_model().objects.create_user(username=f"bench-long-{stamp}", password="bench-long-pw",
                                                is_staff=True)
    Membership.objects.create(project=project, user=user, role=Role.ANNOTATOR)
    tasks_assign(project=project, annotators=[user])
    return project, collection, user, Task.objects.get(project=project), len(text)


def main() -> None:
    django_setup()
    from playwright.sync_api import sync_playwright

    from annotate.models import Project, Task

    project, collection, user, task, chars = setup()
    urls = {"document page": f"/corpus/d/{task.document_id}/", "annotation page": task.get_absolute_url()}
    server, base = dev_server()
    figures = {}
    try:
        with sync_playwright() as p:
            browser, page = chromium_logged_in(p, base, user.username, "bench-long-pw")
            for name, url in urls.items():
                server_ms, load_ms, size = [], [], 0
                for _ in range(LOADS):
                    page.goto(url, wait_until="load")
                    timing = page.evaluate("() => { const n = performance.getEntriesByType('navigation')[0]; "
                                           "return {server: n.responseStart - n.requestStart, "
                                           "load: n.loadEventEnd || performance.now(), size: n.transferSize}; }")
                    server_ms.append(timing["server"])
                    load_ms.append(timing["load"])
                    size = timing["size"]
                figures[name] = {"server_ms_median": round(statistics.median(server_ms), 1),
                                 "load_ms_median": round(statistics.median(load_ms), 1),
                                 "load_ms_max": round(max(load_ms), 1), "html_bytes": size}
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
        Task.objects.filter(project=project).delete()
        Project.objects.filter(pk=project.pk).delete()
        collection_delete(collection)
        user.delete()
    print(json.dumps({"text_chars": chars, "loads": LOADS, **figures}, ensure_ascii=False))


if __name__ == "__main__":
    main()
