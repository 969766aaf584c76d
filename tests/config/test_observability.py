"""What an operator sees: a JSON line per request with its id, user, status, duration and queries; the
request id echoed; /healthz for a load balancer; every setting the code reads documented in the README."""

import json
import logging
import re
from pathlib import Path

import pytest

from config.observability import JsonFormatter, TextFormatter
from tests.factories import make_user

ROOT = Path(__file__).resolve().parent.parent.parent


def test_a_request_is_one_json_line_with_its_id_user_status_duration_and_queries(client, db, caplog):
    user = make_user("ayse")
    client.force_login(user)
    with caplog.at_level(logging.INFO, logger="haber.request"):
        response = client.get("/annotate/", headers={"X-Request-ID": "lb-1234abcd"})
    assert response["X-Request-ID"] == "lb-1234abcd"  # a load balancer's id is kept
    (record,) = [r for r in caplog.records if r.name == "haber.request"]
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == "lb-1234abcd" and line["user_id"] == user.pk and line["status"] == 200
    assert line["method"] == "GET" and line["path"] == "/annotate/" and line["queries"] >= 2
    assert line["duration_ms"] > 0 and line["level"] == "INFO" and line["time"].endswith("Z")
    assert "request_id=lb-1234abcd" in TextFormatter("%(message)s").format(record)


def test_a_bad_request_id_is_replaced_and_quiet_logs_cost_nothing(client, db, caplog):
    with caplog.at_level(logging.WARNING, logger="haber.request"):
        response = client.get("/healthz", headers={"X-Request-ID": "<script>"})
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])
    assert not [r for r in caplog.records if r.name == "haber.request"]


def test_healthz_answers_for_a_load_balancer(client, db, monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    from config import observability
    from jobs.models import WorkerBeat
    from jobs.services import worker_beat

    monkeypatch.setattr(observability, "_migrated", False)
    # The web process is healthy with no job worker at all: a dead worker must not take it out of rotation.
    web = client.get("/healthz")
    assert web.status_code == 200 and web.json() == {"status": "ok", "database": "ok", "migrations": "ok"}
    no_worker = client.get("/healthz/jobs")
    assert no_worker.status_code == 503 and no_worker.json()["worker"].startswith("no job worker seen in the last 60 s")
    worker_beat(worker_id="w1")  # what every worker writes every JOBS_BEAT_SECONDS
    ok = client.get("/healthz/jobs")
    assert ok.status_code == 200 and ok.json() == {"status": "ok", "database": "ok", "worker": "ok"}
    WorkerBeat.objects.update(seen_at=timezone.now() - timedelta(seconds=61))
    assert client.get("/healthz/jobs").status_code == 503 and client.get("/healthz").status_code == 200
    monkeypatch.setattr(observability, "database_check", lambda: "unreachable: OperationalError")
    for url in ("/healthz", "/healthz/jobs"):
        down = client.get(url)
        assert down.status_code == 503 and down.json() == {"status": "unhealthy", "database": "unreachable: OperationalError"}


def test_healthz_names_migrations_not_applied(client, db, monkeypatch):
    from django.db.migrations.executor import MigrationExecutor

    from config import observability

    monkeypatch.setattr(observability, "_migrated", False)
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("m", False)] * 2)
    answer = client.get("/healthz")
    assert answer.status_code == 503 and answer.json()["migrations"] == "2 not applied"


def test_sentry_is_off_without_a_dsn():
    from django.conf import settings

    from config.observability import sentry_init

    assert sentry_init("") is False and settings.SENTRY_ENABLED is False


@pytest.mark.parametrize("module", ["config/settings.py", "config/observability.py"])
def test_every_setting_the_code_reads_is_in_the_readme_table(module):
    code = (ROOT / module).read_text()
    names = set(re.findall(r'(?:os\.environ\.get|env_bool)\(\s*"([A-Z_]+)"', code))
    table = (ROOT / "README.md").read_text().split("## Settings (environment)", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", table))
    assert not names - documented, f"not in README's settings table: {sorted(names - documented)}"


def test_every_answer_says_the_servers_time_and_me_says_who_you_are(client, db):
    from tests.factories import make_user

    user = make_user("ayse")
    client.force_login(user)
    answer = client.get("/api/v1/me")
    assert answer.json() == {"id": user.pk, "username": "ayse", "is_staff": False}
    assert re.fullmatch(r"app;dur=\d+\.\d\d", answer["Server-Timing"])
    client.logout()
    assert client.get("/api/v1/me").status_code == 401
