"""Settings read from the environment (config/settings.py), each read in a fresh interpreter."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent


def _options(tmp_path, **env) -> dict:
    code = "import json, config.settings as s; print(json.dumps(s.DATABASES['default'].get('OPTIONS', {})))"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
        env={**os.environ, "SECRET_KEY": "x" * 50, "VAR_DIR": str(tmp_path), **env},
    )
    return json.loads(result.stdout)


@pytest.mark.parametrize(("value", "expected"), [(None, 5), ("off", None), ("", None), ("20", 20)])
def test_postgres_prepares_repeated_statements_unless_told_not_to(tmp_path, value, expected):
    env = {"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/anything"}
    if value is not None:
        env["DB_PREPARE_THRESHOLD"] = value
    options = _options(tmp_path, **env)
    assert options["prepare_threshold"] == expected and options["server_side_binding"] is True


def test_sqlite_has_no_postgres_options(tmp_path):
    options = _options(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    assert "prepare_threshold" not in options and "journal_mode=WAL" in options["init_command"]
    assert options["transaction_mode"] == "IMMEDIATE" and options["timeout"] >= 5
