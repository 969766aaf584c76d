"""Full-text search: the lexemes of a text and of a query, computed by the same Python functions.

PostgreSQL stores each document's lexemes in `corpus_document.search_vector` (a tsvector, GIN-indexed;
migration 0004) and a search is `search_vector @@ tsquery`. Both sides come from here rather than from
PostgreSQL's `to_tsvector('turkish', …)`, for two reasons:

* Turkish case: PostgreSQL lowercases with the database's locale, so in a C or English locale "IRAK"
  becomes "irak" but "ırak" stays, and the capital headlines of wire copy ("DİYARBAKIR") never match
  "Diyarbakır". Here Turkish text is lowercased the Turkish way (I → ı, İ → i), stemmed with Snowball's
  Turkish stemmer (the algorithm of PostgreSQL's turkish configuration, through PyStemmer), and then the
  dotless ı is folded into i, so that "IRAK", "Irak", "ırak" and "BEIJING" written with a Turkish keyboard
  all meet. Other languages are lowercased (İ → i) and folded the same way, without stemming (PostgreSQL's
  'simple').
* Cost: the vector is computed in the import's worker processes, beside the tokenizer, instead of in
  PostgreSQL, where `to_tsvector('turkish', …)` was two thirds of the database's work during an import.

Words are runs of letters and digits: apostrophes and hyphens separate them ("Rusya'nın" is "rusya" +
"nın", as in PostgreSQL's parser). Positions count every word, stopwords included, so that phrases
("bir araya geldi", or a query word with an apostrophe) match by position. PostgreSQL's limits are kept:
at most 256 positions per lexeme, positions above 16,383 clamped, words over 2,047 bytes left out, the
lexemes of a vector under 1 MB, and only the first 500,000 characters of a text indexed.
"""

import re
from collections import defaultdict
from functools import cache
from itertools import pairwise

STEMMED_LANGUAGE = "tr"
INDEXED_CHARS = 500_000
MAX_POSITIONS = 256
MAX_POSITION = 16_383
MAX_LEXEME_BYTES = 2_047
MAX_VECTOR_BYTES = 1_000_000

_WORD = re.compile(r"[^\W_]+")
# A query: an optionally negated "quoted phrase" (the closing quote may be missing), or a bare term.
_QUERY_TERM = re.compile(r'(-?)"([^"]*)"?|(\S+)')
# PostgreSQL's turkish.stop (from the Snowball project): the words its turkish configuration drops.
_TURKISH_STOP = (
    "acaba ama aslında az bazı belki biri birkaç birşey biz bu çok çünkü da daha de defa diye eğer en gibi "
    "hem hep hepsi her hiç için ile ise kez ki kim mı mu mü nasıl ne neden nerde nerede nereye niçin niye o "
    "sanki şey siz şu tüm ve veya ya yani"
)
TURKISH_STOPWORDS = frozenset(_TURKISH_STOP.split())
MAX_QUERY_CHARS = 2_000
_POSITION_TEXT = [str(i) for i in range(MAX_POSITION + 1)]


@cache
def _turkish_stemmer():
    import Stemmer

    return Stemmer.Stemmer("turkish")


def fold(text: str, language: str) -> str:
    """Lowercase the way of the text's language: Turkish I → ı, İ → i; others İ → i (str.lower() would
    give i + a combining dot)."""
    if language == STEMMED_LANGUAGE:
        text = text.replace("I", "ı").replace("İ", "i")
    else:
        text = text.replace("İ", "i")
    return text.lower()


def search_fold(text: str) -> str:
    """Which capitals and dots the full-text search lets meet, for SQLite's substring search
    (corpus.sqlite_functions): every lexeme is folded, then ı → i, so in any language I, İ, ı and i meet."""
    return fold(text, "").replace("ı", "i")


def _words(text: str, language: str) -> list[str]:
    return _WORD.findall(fold(text, language))


def _lexemes(words, language: str) -> dict[str, str]:
    """Each distinct word's lexeme ("" for a stopword or a word too long for PostgreSQL)."""
    if language == STEMMED_LANGUAGE:
        kept = [w for w in words if w not in TURKISH_STOPWORDS]
        stems = _turkish_stemmer().stemWords(kept)
        lexemes = dict.fromkeys(words, "")
        lexemes.update(zip(kept, (s.replace("ı", "i") for s in stems), strict=True))
    else:
        lexemes = {w: w.replace("ı", "i") for w in words}
    for word, lexeme in lexemes.items():
        if len(lexeme) * 4 > MAX_LEXEME_BYTES and len(lexeme.encode()) > MAX_LEXEME_BYTES:
            lexemes[word] = ""
    return lexemes


def search_vector(text: str, language: str, *, title: str = "") -> str:
    """The lexemes of the title and the text, with their positions, as a tsvector literal ('' when there
    is no word)."""
    words = _words(f"{title} {text[:INDEXED_CHARS]}" if title else text[:INDEXED_CHARS], language)
    positions: dict[str, list[int]] = defaultdict(list)
    for position, word in enumerate(words, 1):
        positions[word].append(position)
    by_lexeme: dict[str, list[int]] = {}
    size = 0
    for word, lexeme in _lexemes(positions, language).items():
        if not lexeme:
            continue
        found = by_lexeme.get(lexeme)
        if found is None:
            size += len(lexeme.encode())
            if size > MAX_VECTOR_BYTES:
                break
            by_lexeme[lexeme] = found = []
        found.extend(positions[word])
    # Lexemes are letters and digits only, so they need no escaping inside the quotes.
    return " ".join(f"'{lexeme}':{_positions(found)}" for lexeme, found in by_lexeme.items())


def _positions(found: list[int]) -> str:
    if len(found) > 1:
        found = sorted(found)[:MAX_POSITIONS]
    return ",".join([_POSITION_TEXT[p] if p <= MAX_POSITION else _POSITION_TEXT[MAX_POSITION] for p in found])


def search_query(query: str, language: str) -> str:
    """A web-search style query as a tsquery literal for documents in `language`, '' when nothing in it
    can match. As PostgreSQL's websearch_to_tsquery: words must all match, "quoted words" match as a
    phrase, `or` between terms matches either, a leading `-` excludes; a term of several words
    ("Rusya'nın", "video-telefonatë") is a phrase."""
    parts: list[str] = []
    pending_or = False
    for match in _QUERY_TERM.finditer(query[:MAX_QUERY_CHARS]):
        negated, phrase, bare = match.groups()
        if bare is not None:
            if bare.lower() == "or":
                pending_or = bool(parts)
                continue
            negated = "-" if bare.startswith("-") and len(bare) > 1 else ""
            phrase = bare[1:] if negated else bare
        operand = _phrase(phrase, language)
        if not operand:
            continue
        if negated:
            operand = f"!{operand}"
        if parts:
            parts.append("|" if pending_or else "&")
        parts.append(operand)
        pending_or = False
    return " ".join(parts)


def _phrase(text: str, language: str) -> str:
    words = _words(text, language)
    lexemes = _lexemes(words, language)
    kept = [(position, lexemes[w]) for position, w in enumerate(words) if lexemes[w]]
    if not kept:
        return ""
    out = f"'{kept[0][1]}'"
    for (before, _), (position, lexeme) in pairwise(kept):
        distance = min(position - before, MAX_POSITION + 1)  # PostgreSQL's largest phrase distance
        out += f" {'<->' if distance == 1 else f'<{distance}>'} '{lexeme}'"
    return f"({out})" if len(kept) > 1 else out
