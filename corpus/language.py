"""Language identification, offline (py3langid ships its model inside the package).

Imported only by the import pipeline, so the web server does not load the model until someone imports.
The model ships LZMA-compressed, and decompressing it is most of the cost of starting an import worker
(0.4 s of 0.5 s), so the first load keeps a decompressed copy under var/cache/ for the next ones.
"""

import lzma
import os
import shutil
import tempfile
from array import array
from functools import cache
from pathlib import Path

# The first characters are enough for news articles and keep detection well under a millisecond.
SAMPLE_CHARS = 600
UNDETERMINED = "und"
CACHE_DIR = Path(os.environ.get("VAR_DIR", Path(__file__).resolve().parent.parent / "var")) / "cache"


@cache
def _identifier():
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    try:
        return _from_decompressed(LanguageIdentifier, _decompressed(MODEL_DIR / MODEL_FILE))
    except (OSError, KeyError, ValueError):  # no writable cache, or a layout this code does not know
        return LanguageIdentifier.from_model_file(MODEL_FILE)


def _decompressed(source: Path) -> Path:
    """The model as a plain .npz in the cache, written once (atomically, so parallel workers agree)."""
    from importlib.metadata import version

    stat = source.stat()
    target = CACHE_DIR / f"py3langid-{version('py3langid')}-{stat.st_size}-{int(stat.st_mtime)}.npz"
    if not target.exists():
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        with (
            tempfile.NamedTemporaryFile(dir=CACHE_DIR, suffix=".part", delete=False) as out,
            lzma.open(source) as compressed,
        ):
            shutil.copyfileobj(compressed, out, length=1 << 20)
        os.replace(out.name, target)
    return target


def _from_decompressed(cls, path: Path):
    """What py3langid's own loader builds (modelio.load_model), from the plain .npz."""
    import numpy as np

    def as_array(values):
        values = np.ascontiguousarray(values)
        out = array({2: "H", 4: "I", 8: "L"}[values.dtype.itemsize])
        out.frombytes(values.tobytes())
        return out

    with np.load(path, allow_pickle=False) as data:
        return cls(
            np.asarray(data["ptc"]),
            np.asarray(data["pc"]),
            data["classes"].tolist(),
            as_array(data["nextmove"]),
            data["out_feat"].tolist(),
            tk_row=as_array(data["nextmove_row"]),
        )


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language, or "und" when there is nothing to judge by."""
    sample = text[:SAMPLE_CHARS]
    if not any(ch.isalpha() for ch in sample):
        return UNDETERMINED
    code, _score = _identifier().classify(sample)
    return code
