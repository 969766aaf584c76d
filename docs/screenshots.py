"""Take the README's screenshots from a real browser, so that they show the pages as they are today.

    .venv/bin/python docs/screenshots.py        # or: make screenshots

Builds a throwaway SQLite database in a temporary directory (migrations and the demo project, as `make run`
does), marks the demo article in annotator1's task, starts the development server on a free port, and
drives Debian's Chromium through the pages as the demo users: the annotation page in the light and the dark
theme, the curation page, the project dashboard and the assign page. Writes docs/*.png; touches nothing
else."""

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
FULL_PAGE = {"curation-page.png", "assign-page.png"}  # the alignment table and the whole form
SHOTS = {
    "annotation-page.png": ("annotator1", "task", "light"),
    "annotation-page-dark.png": ("annotator1", "task", "dark"),
    "curation-page.png": ("curator", "curate", "light"),
    "dashboard.png": ("manager", "/annotate/p/demo/", "light"),
    "assign-page.png": ("manager", "/annotate/p/demo/assign", "light"),
}


def manage(env, *args) -> str:
    return subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True,
                          text=True).stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(env) -> dict:
    """The demo, and one open task of annotator1 with a few marks, through the real services."""
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_demo")
    code = """
import json, uuid
from annotate.models import EventRole, Label, Task
from annotate.services import annotation_apply
task = Task.objects.filter(project__slug="demo", annotator__username="annotator1", status__in=["assigned", "in_progress"],
                           document__external_id="demo_tr_02").first() or Task.objects.filter(
    project__slug="demo", annotator__username="annotator1", status__in=["assigned", "in_progress"]).first()
text = task.document.text
labels = {l.name: l.pk for l in Label.objects.filter(project=task.project)}
def change(action, **payload):
    fresh = Task.objects.get(pk=task.pk)
    annotation_apply(task=fresh, by=task.annotator, op_id=uuid.uuid4(), base_version=fresh.version, action=action,
                     payload=payload)
marks = [("Haberler", "NAVIGATION"), ("Güncelleme: 02.04.2026 18:40", "METADATA"), ("Paylaş Tweetle Kaydet", "SHARE"),
         ("Cumhurbaşkanı", "TITLE"), ("Recep Tayyip Erdoğan", "PER"), ("Azerbaycan", "GPE"), ("İlham Aliyev", "PER"),
         ("İletişim Başkanlığı", "ORG"), ("Bakü", "GPE"), ("Erivan", "GPE")]
ids = {}
for needle, name in marks:
    start = text.find(needle, text.find("Cumhurbaşkanı Recep") if name in ("TITLE", "PER", "GPE", "ORG") else 0)
    if start >= 0:
        ids[needle] = str(uuid.uuid4())
        change("span.create", id=ids[needle], label=labels[name], start=start, end=start + len(needle))
trigger = text.find("telefonda görüştü")
if trigger >= 0:
    event = str(uuid.uuid4())
    change("event.create", id=event, type=labels["PHONE_CALL"], start=trigger, end=trigger + len("telefonda görüştü"))
    role = EventRole.objects.get(event_type_id=labels["PHONE_CALL"], name="participant").pk
    for needle in ("Recep Tayyip Erdoğan", "İlham Aliyev"):
        if needle in ids:
            change("argument.add", event=event, role=role, span=ids[needle])
print(json.dumps({"task": task.pk, "document": Task.objects.filter(project__slug="demo", status="submitted").first().document_id}))
"""
    out = subprocess.run([PYTHON, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as var:
        env = {**os.environ, "VAR_DIR": var, "DATABASE_URL": f"sqlite:///{var}/screens.sqlite3", "DEBUG": "1",
               "SECRET_KEY": "screenshots-" + "x" * 40}
        ids = prepare(env)
        passwords = json.loads((Path(var) / "demo_passwords.json").read_text())
        port = free_port()
        server = subprocess.Popen([PYTHON, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"], cwd=ROOT,
                                  env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(base + "/healthz", timeout=1)
                    break
                except OSError:
                    time.sleep(0.2)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[
                    "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
                for name, (user, where, scheme) in SHOTS.items():
                    context = browser.new_context(base_url=base, viewport={"width": 1280, "height": 860},
                                                  color_scheme=scheme)
                    page = context.new_page()
                    page.goto("/accounts/login/")
                    page.get_by_label("Username").fill(user)
                    page.get_by_label("Password").fill(passwords[user])
                    page.get_by_role("button", name="Log in").click()
                    page.wait_for_url("**/")
                    path = {"task": f"/annotate/t/{ids['task']}/",
                            "curate": f"/annotate/p/demo/curation/{ids['document']}/"}.get(where, where)
                    page.goto(path)
                    page.wait_for_load_state("networkidle")
                    if name == "assign-page.png":  # the preview of assigning to both annotators
                        page.get_by_label("annotator1").check()
                        page.get_by_label("annotator2").check()
                        page.locator("#preview").get_by_text("selected").wait_for()
                    page.screenshot(path=str(ROOT / "docs" / name), full_page=name in FULL_PAGE)
                    print(f"docs/{name}")
                    context.close()
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
