"""The embedded default (SQLite, what `make run` uses) takes concurrent saves without "database is locked"."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).with_name("sqlite_writers.py")


@pytest.mark.slow
def test_eight_annotators_saving_at_once_on_sqlite_all_succeed(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "VAR_DIR": str(tmp_path),
           "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "testserver"}
    result = subprocess.run([sys.executable, str(SCRIPT)], env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome == {"statuses": {"200": 200}, "spans": 200}, (outcome, result.stderr[-3000:])
