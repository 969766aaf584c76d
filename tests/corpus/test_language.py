"""Language detection: the cached, decompressed model is the packaged model."""

import numpy as np

from corpus import language


def test_the_decompressed_cache_builds_the_same_identifier_as_py3langid(tmp_path, monkeypatch):
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    monkeypatch.setattr(language, "CACHE_DIR", tmp_path)
    language._identifier.cache_clear()
    try:
        cached = language._identifier()
        assert len(list(tmp_path.glob("py3langid-*.npz"))) == 1  # written on first use
        packaged = LanguageIdentifier.from_model_file(MODEL_FILE)
        assert np.array_equal(cached.nb_ptc, packaged.nb_ptc)
        assert np.array_equal(cached.nb_pc, packaged.nb_pc)
        for name in ("nb_classes", "tk_nextmove", "tk_output", "tk_row"):
            assert getattr(cached, name) == getattr(packaged, name), name
        sample = "Dışişleri Bakanı Hakan Fidan, Rusyalı mevkidaşı ile telefonda görüştü."
        assert cached.classify(sample) == packaged.classify(sample)
    finally:
        language._identifier.cache_clear()


def test_an_unwritable_cache_falls_back_to_the_packaged_model(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setattr(language, "CACHE_DIR", blocker / "cache")
    language._identifier.cache_clear()
    try:
        assert (
            language.detect_language("Ministri i Jashtëm zhvilloi një bisedë telefonike me homologun") == "sq"
        )
    finally:
        language._identifier.cache_clear()


def test_text_without_letters_is_undetermined():
    assert language.detect_language("2026 — 12:30 … 📰") == language.UNDETERMINED
