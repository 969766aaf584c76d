"""The browser tests' fixtures: a page in a fresh context, logging in, the seed project, a job worker. The
browser itself (Playwright driving Debian's Chromium, one for the whole run) is tests/conftest.py's `browser`,
shared with tests/faults/."""

import os

import pytest

from tests.factories import PASSWORD
from tests.release_fixtures import releasable  # noqa: F401
from tests.training_fixtures import trainable  # noqa: F401

# Playwright's sync API runs an event loop in the test thread; the test's own ORM calls are still sync.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors in the page: {errors}"


def log_in(page, username):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/")


@pytest.fixture
def seeded(seeds_dir):
    """The seed articles in a project with one annotator, each with a task."""
    from annotate.models import Role
    from annotate.services import tasks_assign
    from tests.factories import import_paths, make_collection, make_project, make_user

    collection = make_collection("wire", "Wire")
    import_paths(collection, seeds_dir)
    user = make_user("ayse")
    project = make_project("diplo", collections=[collection], overlap=1, members=[(user, Role.ANNOTATOR)])
    tasks_assign(project=project, annotators=[user])
    return project, user


@pytest.fixture
def job_worker(live_server, settings):
    """A job worker beside the live server, in a thread of this process: start() it, and it runs what the
    pages queue until the test ends. On PostgreSQL it has its own connection, as a worker has; on the
    in-memory SQLite test database it shares the live server's (as the live server's threads do: another
    connection to a shared-cache database meets "table is locked" at once)."""
    import threading

    from django.db import connections

    shared = connections["default"] if connections["default"].vendor == "sqlite" else None
    if shared is not None:
        shared.inc_thread_sharing()

    from jobs.worker import worker_make

    settings.JOBS_HEARTBEAT_SECONDS = 0.2
    settings.CORPUS_IMPORT_WORKERS = 1
    worker = worker_make(interval=0.2, worker_id="browser-test-worker")
    threads = []

    def serve():
        if shared is not None:
            connections["default"] = shared
        try:
            worker.run()
        finally:
            if shared is None:
                connections.close_all()

    def start():
        thread = threading.Thread(target=serve, daemon=True)
        thread.start()
        threads.append(thread)

    yield start
    worker.running = False
    for thread in threads:
        thread.join(timeout=30)
    if shared is not None:
        shared.dec_thread_sharing()
