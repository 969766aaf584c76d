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
    words = list(words)
    if language == STEMMED_LANGUAGE:
        kept = [w for w in words if w not in TURKISH_STOPWORDS]
        stems = "\n".join(_turkish_stemmer().stemWords(kept)).replace("ı", "i").split("\n") if kept else []
        lexemes = dict.fromkeys(words, "")
        lexemes.update(zip(kept, stems, strict=True))
    else:
        lexemes = dict(zip(words, "\n".join(words).replace("ı", "i").split("\n"), strict=True)) if words else {}
    if words and max(map(len, lexemes.values())) * 4 > MAX_LEXEME_BYTES:  # only a very long word can be over
        for word, lexeme in lexemes.items():
            if len(lexeme.encode()) > MAX_LEXEME_BYTES:
                lexemes[word] = ""
    return lexemes


def search_vector(text: str, language: str, *, title: str = "") -> str:
    """The lexemes of the title and the text, with their positions, as a tsvector literal ('' when there
    is no word). One pass over the words, grouped by lexeme in order of first appearance, so each
    lexeme's positions come sorted (this runs for every imported document: 0.51 → 0.44 ms for 3,100
    characters, docs/benchmarks.md)."""
    words = _words(f"{title} {text[:INDEXED_CHARS]}" if title else text[:INDEXED_CHARS], language)
    lexemes = _lexemes(dict.fromkeys(words), language)
    if sum(map(len, lexemes.values())) * 4 > MAX_VECTOR_BYTES:  # only a very long text can get near
        lexemes = _within_vector_bytes(lexemes)
    by_lexeme: dict[str, list[int]] = {}
    # Each word's list is its lexeme's (inflections share one), in order of first appearance.
    lists = {word: by_lexeme.setdefault(lexeme, []) for word, lexeme in lexemes.items() if lexeme}
    for position, word in enumerate(words, 1):
        if (found := lists.get(word)) is not None:
            found.append(position)
    texts = _POSITION_TEXT
    if len(words) > MAX_POSITION:
        texts = texts + [texts[MAX_POSITION]] * (len(words) - MAX_POSITION)
    # Lexemes are letters and digits only, so they need no escaping inside the quotes.
    return " ".join([f"'{lexeme}':{','.join([texts[p] for p in found[:MAX_POSITIONS]])}"
                     for lexeme, found in by_lexeme.items()])


def _within_vector_bytes(lexemes: dict[str, str]) -> dict[str, str]:
    """The lexemes with those past PostgreSQL's 1 MB of lexemes per vector (in order of first appearance)
    left out."""
    kept, size = {}, 0
    for lexeme in lexemes.values():
        if lexeme and lexeme not in kept:
            size += len(lexeme.encode())
            if size > MAX_VECTOR_BYTES:
                break
            kept[lexeme] = None
    return {word: lexeme if lexeme in kept else "" for word, lexeme in lexemes.items()}


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
