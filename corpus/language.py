"""Language identification, offline (py3langid ships its model inside the package).

Imported only by the import pipeline, so the web server does not load the model until someone imports.
"""

from functools import cache

# The first characters are enough for news articles and keep detection well under a millisecond.
SAMPLE_CHARS = 600
UNDETERMINED = "und"


@cache
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE)


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language, or "und" when there is nothing to judge by."""
    sample = text[:SAMPLE_CHARS]
    if not any(ch.isalpha() for ch in sample):
        return UNDETERMINED
    code, _score = _identifier().classify(sample)
    return code
