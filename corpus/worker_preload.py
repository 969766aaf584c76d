"""Loaded once by the import's fork server, before it forks the worker processes (see
`corpus.pipeline.prepared_batches`): spaCy, the Turkish and Albanian tokenizers, the language model and
the stemmer, and the grapheme lookup table. Each worker then starts with them in memory (copy-on-write) instead of loading them itself,
which took ~0.6 s of CPU per worker, on a two-core machine a tenth of importing 10,000 articles.

Importing this module does the loading; nothing else imports it.
"""

from .graphemes import _joining_table
from .language import _predict
from .search import _turkish_stemmer
from .tokens import _pipeline

for _language in ("tr", "sq"):
    _pipeline(_language)
_predict()
_turkish_stemmer()
_joining_table()
