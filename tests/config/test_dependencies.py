"""The server's requirements hold no test tools; each lock pins every package, with hashes, and pins what
its input file asks for; the development lock runs the same versions as the server's."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEV_ONLY = {"pytest", "pytest-django", "playwright", "ruff", "hypothesis", "seqeval", "jsonschema", "schemathesis",
            "krippendorff", "scikit-learn"}


def _names(path: Path) -> set[str]:
    names = set()
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            names.add(re.split(r"[<>=!~;\[ ]", line, maxsplit=1)[0].lower())
    return names


def _pins(path: Path) -> dict[str, str]:
    text = path.read_text()
    pins = dict(re.findall(r"^([A-Za-z0-9_.-]+)==([^ ;\\\n]+)", text, flags=re.MULTILINE))
    blocks = re.split(r"\n(?=[A-Za-z0-9_.-]+==)", text)
    unhashed = [b.split("==", 1)[0] for b in blocks if "==" in b.split("\n", 1)[0] and "--hash=sha256:" not in b]
    assert not unhashed, f"pinned without a hash in {path.name}: {unhashed}"
    return {name.lower().replace("_", "-"): version for name, version in pins.items()}


def test_the_server_needs_no_test_tools_and_the_dev_file_adds_them():
    assert not _names(ROOT / "requirements.txt") & DEV_ONLY
    assert _names(ROOT / "requirements-dev.txt") >= DEV_ONLY


def test_the_locks_pin_everything_asked_for_with_hashes_and_agree():
    runtime, dev = _pins(ROOT / "requirements.lock"), _pins(ROOT / "requirements-dev.lock")
    asked = {n.replace("_", "-") for n in _names(ROOT / "requirements.txt")}
    asked_dev = {n.replace("_", "-") for n in _names(ROOT / "requirements-dev.txt")}
    assert not {n for n in asked if n not in runtime and not n.startswith("fasttext-predict-v2")}
    assert asked_dev <= set(dev)
    assert not (DEV_ONLY - {"jsonschema"}) & set(runtime)  # drf-spectacular needs jsonschema itself
    assert {name: dev[name] for name in runtime if name in dev} == {name: runtime[name] for name in runtime
                                                                     if name in dev}
