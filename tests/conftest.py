import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.factories import make_user

DATA = Path(__file__).parent / "data"
SHARED = Path(__file__).resolve().parents[2] / "shared"  # ../shared/ beside the checkout: CI has it
SEEDS = SHARED / "corpus" / "seeds"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def shared_path(*parts: str) -> Path:
    """A file or folder of ../shared/ (the real seed articles, public data sets, other tools' files), which a
    plain clone does not have: the test is skipped with a message naming the missing path, or fails under
    REQUIRE_SHARED=1 (CI, .ci/run), where nothing may be skipped for want of it."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        message = f"{path} is missing: the test needs ../shared/ beside the checkout (CI has it)"
        if os.environ.get("REQUIRE_SHARED") == "1":
            pytest.fail(f"{message}; REQUIRE_SHARED=1")
        pytest.skip(message)
    return path


def pytest_sessionstart(session):
    """Under REQUIRE_POSTGRES=1 (CI) the suite fails rather than quietly running on SQLite."""
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    if os.environ.get("REQUIRE_POSTGRES") == "1" and "postgresql" not in engine:
        raise pytest.UsageError(f"REQUIRE_POSTGRES=1 but the database engine is {engine}; set DATABASE_URL")


@pytest.fixture
def data_dir():
    return DATA


@pytest.fixture
def seeds_dir():
    return shared_path("corpus", "seeds")


@pytest.fixture
def staff(db):
    return make_user("staff", is_staff=True)


@pytest.fixture
def annotator(db):
    return make_user("annotator")


@pytest.fixture
def corpus_manager(db):
    return make_user("cmanager", permissions=["corpus.view_document", "corpus.add_document"])


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """PBKDF2 costs ~0.3 s a user; tests create many. Production keeps Django's default hashers."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def english_between_tests():
    """A request leaves its language active in the thread (Django's locale middleware does not undo it), so a
    test after a Turkish page would read Turkish messages: each test starts, and ends, in the default."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def empty_cache():
    """Row ids can repeat across rolled-back tests; cached schemas must not leak from one test to the next."""
    from django.core.cache import caches  # (the rate limits are rows of the test database: rolled back)

    from annotate.schema_cache import forget_schemas

    caches["default"].clear()
    forget_schemas()


@pytest.fixture(autouse=True)
def job_files_in_tmp(settings, tmp_path):
    """Uploads handed to jobs are stored under MEDIA_ROOT: a directory of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def run_jobs(db):
    """Run every queued background job now, in this process, as a worker would (tests/jobs_helpers.py)."""
    from jobs.worker import run_pending

    return run_pending


SLOW_SECONDS = 10
_unmarked_slow: list[str] = []


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Remember the tests that took SLOW_SECONDS or more without the `slow` marker (make test-fast would
    run them), to name them at the end of the run."""
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.duration >= SLOW_SECONDS and item.get_closest_marker("slow") is None:
        _unmarked_slow.append(f"{report.duration:.0f} s {item.nodeid}")


def pytest_terminal_summary(terminalreporter):
    if _unmarked_slow:
        terminalreporter.write_line(f"Tests of {SLOW_SECONDS} s or more without @pytest.mark.slow (mark them, so "
                                    "that make test-fast skips them):")
        for line in _unmarked_slow:
            terminalreporter.write_line(f"  {line}")


@pytest.fixture(scope="session")
def browser():
    """Playwright driving Debian's Chromium, one for the whole run (the browser tests and tests/faults/ share
    it: Playwright's sync API runs one event loop). Under REQUIRE_BROWSER=1 (CI) a browser that cannot start
    is a failure, not a skip."""
    try:
        from playwright.sync_api import sync_playwright

        playwright = sync_playwright().start()
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
            ],
        )
    except Exception as exc:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 but Chromium could not start ({CHROMIUM}): {exc}")
        pytest.skip(f"no browser: {exc}")
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def own_database(tmp_path):
    """Environment for processes on a fresh database: on PostgreSQL (when DATABASE_URL names one) a new
    database on that server, dropped afterwards; else an SQLite file."""
    url = os.environ.get("DATABASE_URL", "")
    base = {**os.environ, "VAR_DIR": str(tmp_path), "SECRET_KEY": "k" * 50, "LOG_LEVEL": "WARNING",
            "JOBS_HEARTBEAT_SECONDS": "0.3", "JOBS_BEAT_SECONDS": "0.5", "JOBS_STALE_SECONDS": "2"}
    if not url.startswith(("postgres://", "postgresql://")):
        yield {**base, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
        return
    import psycopg

    name = f"haber_kill_{os.getpid()}"
    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name}")
        connection.execute(f"CREATE DATABASE {name}")
    try:
        yield {**base, "DATABASE_URL": urlunsplit(parts._replace(path=f"/{name}"))}
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
