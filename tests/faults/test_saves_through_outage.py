"""The annotation page in Chromium, its server on the fault tests' own PostgreSQL (#29 items 2 and 7): changes
made while the database is stopped wait in the page ("Waiting for the server") and are stored once each when
it is back; changes made while a lock holds the task (a slow database) queue and are stored once each, in
order, when it lifts. No acknowledged change is lost, none is stored twice, and nobody restarts anything."""

import json
import os
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.annotation_helpers import drag_select, wait_version
from tests.browser.conftest import log_in
from tests.jobs.test_serve import free_port

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = Path(__file__).with_name("scenario.py")
TEXT = ("Dışişleri Bakanı Hakan Fidan, Arnavutluk Dışişleri Bakanı Elisa Spiropali ile Ankara'da bir araya geldi; "
        "görüşmeye Tiran Büyükelçisi Ahmet Yıldız da katıldı.")

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def _run(env, *args) -> str:
    result = subprocess.run([sys.executable, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    lines = result.stdout.strip().splitlines()
    return lines[-1] if lines else ""


@pytest.fixture
def served(cluster, tmp_path):
    """The fault tests' database migrated, one task on TEXT, and a web server on it (its own process)."""
    env = {**os.environ, "DATABASE_URL": cluster.url, "VAR_DIR": str(tmp_path), "SECRET_KEY": "k" * 50,
           "LOG_LEVEL": "ERROR", "STATIC_ROOT": str(tmp_path / "static")}
    _run(env, "manage.py", "migrate", "--verbosity", "0")
    _run(env, "manage.py", "collectstatic", "--noinput", "--verbosity", "0")
    made = json.loads(_run(env, str(SCENARIO), "setup", TEXT))
    port = free_port()
    server = subprocess.Popen([sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
                              env=env, cwd=ROOT, start_new_session=True, stdout=subprocess.DEVNULL,
                              stderr=(tmp_path / "web.log").open("wb"))
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2)
            break
        except OSError:
            assert time.monotonic() < deadline, (tmp_path / "web.log").read_text()[-2000:]
            time.sleep(0.3)
    try:
        yield {"base": base, "env": env, **made}
    finally:
        server.kill()
        server.wait(timeout=30)


def _open(browser, served):
    context = browser.new_context(base_url=served["base"], viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    log_in(page, "ayse")
    page.goto(served["url"])
    page.locator("#text").wait_for()
    return context, page


def _state(served) -> dict:
    return json.loads(_run(served["env"], str(SCENARIO), "state", str(served["task"])))


def test_changes_made_while_the_database_is_stopped_are_stored_once_when_it_is_back(browser, cluster, served):
    context, page = _open(browser, served)
    drag_select(page, "Hakan Fidan")
    page.keyboard.press("p")
    wait_version(page, 1)
    cluster.stop()
    for needle, key in (("Elisa Spiropali", "p"), ("Ankara", "g"), ("Ahmet Yıldız", "p")):
        drag_select(page, needle)
        page.keyboard.press(key)
    expect(page.locator("#save-state")).to_contain_text("Waiting for the server", timeout=15_000)
    assert page.locator("#save-state").inner_text() != "Saved"
    time.sleep(3)
    cluster.start()
    wait_version(page, 4, timeout=30_000)
    context.close()
    state = _state(served)
    assert state["spans"] == [["GPE", "Ankara"], ["PER", "Ahmet Yıldız"], ["PER", "Elisa Spiropali"],
                              ["PER", "Hakan Fidan"]]
    assert state["changes"] == 4 and state["version"] == 4  # each once


def test_changes_made_while_a_lock_holds_the_task_queue_and_are_stored_once(browser, cluster, served):
    import psycopg

    context, page = _open(browser, served)
    held, release = threading.Event(), threading.Event()

    def hold_the_task():  # a long transaction elsewhere (a slow report, a migration) holding the task's row
        with psycopg.connect(cluster.url) as connection, connection.cursor() as cursor:
            cursor.execute("SELECT id FROM annotate_task WHERE id = %s FOR UPDATE", [served["task"]])
            held.set()
            release.wait(30)

    holder = threading.Thread(target=hold_the_task)
    holder.start()
    try:
        assert held.wait(10)
        for needle, key in (("Hakan Fidan", "p"), ("Elisa Spiropali", "p")):
            drag_select(page, needle)
            page.keyboard.press(key)
        expect(page.locator("#save-state")).to_contain_text("Waiting for the server", timeout=10_000)
        assert _state(served)["changes"] == 0  # nothing stored while the lock holds
    finally:
        release.set()
        holder.join(30)
    wait_version(page, 2, timeout=30_000)
    context.close()
    state = _state(served)
    assert state["spans"] == [["PER", "Elisa Spiropali"], ["PER", "Hakan Fidan"]] and state["changes"] == 2
