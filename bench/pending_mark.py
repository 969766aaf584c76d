"""From a label key to the pending mark drawn (#28 item 8): a 5,000-character article with 100 marks, in
Chromium, a word selected and its label's key pressed, 40 times. Prints, per press, the time the page's key
handler took until the pending highlight was set (the mark is drawn in the frame that follows) and the time
until that frame began (requestAnimationFrame), median and p95.

    .venv/bin/python bench/pending_mark.py          (SQLite in var/, or DATABASE_URL)

Starts the development server on a free port for the page, and leaves no data behind."""

import json
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import chromium_logged_in, collection_delete, dev_server, django_setup

PRESSES = 40
WORDS = ["Bakan", "Ankara'da", "görüştü", "Dışişleri", "Tiran", "heyet", "anlaşma", "imzalandı", "REKLAM", "ve"]

MEASURE = """() => {
  window.__measured = null;
  let t0 = null;
  // Capturing on window runs before the page's own keydown handler; bubbling on window runs after it, when
  // the pending highlight is set. The next animation frame is when it is drawn.
  window.addEventListener("keydown", () => { t0 = performance.now(); }, {once: true, capture: true});
  window.addEventListener("keydown", () => {
    const handled = performance.now() - t0;
    const pending = CSS.highlights.get("pending") ? CSS.highlights.get("pending").size : 0;
    requestAnimationFrame(() => { window.__measured = {handled, frame: performance.now() - t0, pending}; });
  }, {once: true});
}"""


def setup():
    from django.contrib.auth import get_user_model

    from annotate.models import Label, Membership, Role, Span, Task
    from annotate.services import project_create, tasks_assign
    from corpus.services import collection_create, documents_import
    from tests.factories import memory_input

    rng = random.Random(3)
    stamp = int(time.time())
    text = ""
    while len(text) < 5_000:
        text += " ".join(rng.choice(WORDS) for _ in range(10)) + ".\n"
    text = text[:5_000].rstrip() + "."
    collection = collection_create(slug=f"bench-pending-{stamp}")
    documents_import(collection=collection, inputs=[memory_input("d.txt", text)], language="tr")
    project = project_create(slug=f"bench-pending-{stamp}", name="Bench pending", schema="news-diplomacy",
                             collections=[collection], overlap=1)
    user = get_user_model().objects.create_user(username=f"bench-pending-{stamp}", password="bench-pending-pw")
    Membership.objects.create(project=project, user=user, role=Role.ANNOTATOR)
    tasks_assign(project=project, annotators=[user])
    task = Task.objects.get(project=project)
    labels = list(Label.objects.filter(project=project, layer="entity"))
    starts = sorted(rng.sample(range(0, 4_900, 7), 100))
    Span.objects.bulk_create([Span(task=task, label=rng.choice(labels), start=s, end=s + 4) for s in starts])
    return project, collection, user, task


def main() -> None:
    django_setup()
    from playwright.sync_api import sync_playwright

    from annotate.models import Project, Task

    project, collection, user, task = setup()
    text, url = task.document.text, task.get_absolute_url()  # read now: no database inside Playwright's loop
    server, base = dev_server()
    try:
        with sync_playwright() as p:
            browser, page = chromium_logged_in(p, base, user.username, "bench-pending-pw")
            page.goto(url)
            page.locator("#text").wait_for()
            words = [i for i in range(1, len(text) - 12) if text[i - 1] == " " and text[i].isalpha()]
            handled, frames, drawn = [], [], 0
            for n in range(PRESSES):
                start = words[(n * 37) % len(words)]
                end = text.index(" ", start) if " " in text[start:start + 12] else start + 3
                page.evaluate("([a, b]) => { const o = window.haberOffsets, s = o.domAt(a), e = o.domAt(b); "
                              "window.getSelection().setBaseAndExtent(s[0], s[1], e[0], e[1]); }", [start, end])
                page.evaluate(MEASURE)
                page.keyboard.press("m")  # MISC
                result = None
                while result is None:
                    result = page.evaluate("() => window.__measured")
                handled.append(result["handled"])
                frames.append(result["frame"])
                drawn += result["pending"] > 0
                page.wait_for_timeout(50)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
        Task.objects.filter(project=project).delete()  # spans go with their tasks; then labels may go
        Project.objects.filter(pk=project.pk).delete()
        collection_delete(collection)
        user.delete()

    def p95(values):
        return sorted(values)[int(len(values) * 0.95) - 1]

    print(json.dumps({"presses": PRESSES, "text_chars": len(text), "marks": 100, "pending_drawn": drawn,
                      "handler_ms_median": round(statistics.median(handled), 2), "handler_ms_p95": round(p95(handled), 2),
                      "to_next_frame_ms_median": round(statistics.median(frames), 2),
                      "to_next_frame_ms_p95": round(p95(frames), 2)}))


if __name__ == "__main__":
    main()
