"""The CPU-bound part of an import: normalize, check, hash, detect the language, tokenize.

Pure functions without Django, so they run in worker processes as well as in the caller's.
"""

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from django.utils.translation import gettext, gettext_noop

from .formats.base import ImportProblem, RawArticle
from .language import detect_language
from .search import search_vector
from .text import derive_title, grouped, is_blank, normalize_text, text_sha256, unstorable
from .tokens import TOKENIZER_VERSION, tokenize_packed

PREFETCH = 2


@dataclass
class PreparedArticle:
    source: str
    line: int | None
    external_id: str
    title: str
    published_on: object
    language: str
    url: str
    meta: dict
    text: str
    text_sha256: str
    tokens: bytes
    sentences: bytes
    token_count: int
    search_vector: str | None = None
    tokenizer: str = field(default=TOKENIZER_VERSION)


def prepare_article(raw: RawArticle | ImportProblem, language: str | None = None, search: bool = False,
                    check_only: bool = False):
    """The article ready to store, or the problem that keeps it out. With search, also its full-text
    search vector (PostgreSQL only; computed here so that the workers do it, not the database). With
    check_only (an all-or-nothing import that has already failed), only the checks: None for a valid
    article, which will not be stored, so it is neither tokenized nor indexed."""
    if isinstance(raw, ImportProblem):
        return raw
    text = normalize_text(raw.text)
    if is_blank(text):
        return ImportProblem(raw.source, gettext_noop("empty text (nothing but whitespace)"), raw.line)
    if problem := unstorable(text):
        return ImportProblem(raw.source, problem, raw.line)
    if check_only:
        return None
    lang = language or raw.language or detect_language(text)
    tokens, sentences, token_count = tokenize_packed(text, lang)
    title = raw.title or derive_title(text)  # the formats refuse titles over 500 characters
    return PreparedArticle(
        source=raw.source,
        line=raw.line,
        external_id=raw.external_id or _default_external_id(raw),
        title=title,
        published_on=raw.published_on,
        language=lang,
        url=raw.url,
        meta=raw.meta,
        text=text,
        text_sha256=text_sha256(text),
        tokens=tokens,
        sentences=sentences,
        token_count=token_count,
        search_vector=search_vector(text, lang, title=title) if search else None,
    )


def _default_external_id(raw: RawArticle) -> str:
    name = raw.source.replace("\\", "/").rsplit("/", 1)[-1].rsplit(":", 1)[-1]
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return f"{stem}:{raw.line}" if raw.line and raw.line > 1 else stem


def _prepare_chunk(args):
    chunk, language, search, check_only = args
    return [prepare_article(raw, language, search, check_only) for raw in chunk]


def worker_context():
    """Workers are forked from a server process that has loaded the tokenizers and the language model
    once (corpus/worker_preload.py), not started afresh: fork, not spawn, but from a process that holds
    no database connection or thread of the caller's."""
    if "forkserver" not in multiprocessing.get_all_start_methods():  # Windows
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["corpus.worker_preload"])
    return context


def fork_server_start() -> None:
    """Start the fork server the import workers come from, now: it loads the tokenizers and the language
    model in a process of its own (about 2 s), which the first import of a long-running process (the job
    worker) would otherwise wait for. Returns at once; no-op without workers or a fork server."""
    from django.conf import settings

    context = worker_context()
    if settings.CORPUS_IMPORT_WORKERS > 1 and context.get_start_method() == "forkserver":
        from multiprocessing import forkserver

        forkserver.ensure_running()


def fork_server_stop() -> bool:
    """Stop the fork server (and multiprocessing's resource tracker) if this process started them: ~100 MiB
    of tokenizers and language model given back while no import runs. The next pool starts it again (about
    2 s). True when something was stopped."""
    import gc
    from multiprocessing import forkserver, resource_tracker

    gc.collect()  # a finished pool's semaphores are released first, while the tracker still follows them
    stopped = False
    server = forkserver._forkserver
    if getattr(server, "_forkserver_pid", None) is not None:
        server._stop()
        stopped = True
    tracker = resource_tracker._resource_tracker
    if getattr(tracker, "_pid", None) is not None:
        tracker._stop()
        stopped = True
    return stopped


def too_long(length: int, limit: int) -> str:
    """Said in the importing process (within_length), which has the person's language."""
    return gettext("the text is %(length)s characters long; a document holds at most %(limit)s "
                   "(CORPUS_MAX_DOCUMENT_CHARS): split it, or raise the limit") % {
        "length": grouped(length), "limit": grouped(limit)}


def within_length(items: Iterable, limit: int) -> Iterator:
    """The items, with each article longer than `limit` characters turned into its problem (file, line)."""
    for raw in items:
        if isinstance(raw, RawArticle) and len(raw.text) > limit:
            yield ImportProblem(raw.source, too_long(len(raw.text), limit), raw.line)
        else:
            yield raw


def prepared_batches(
    items: Iterable, *, language: str | None, batch_size: int, workers: int, search: bool = False,
    check_only: Callable[[], bool] = lambda: False,
) -> Iterator[list]:
    """Batches of prepared articles (and problems, in order). With workers > 1 the next batch is prepared
    in worker processes while the caller stores the current one; memory holds PREFETCH + 1 batches at
    most. Batches read once check_only() is true are only checked (see prepare_article). A text longer than
    settings.CORPUS_MAX_DOCUMENT_CHARS is refused here, before a worker spends time on it."""
    from django.conf import settings

    iterator = within_length(items, settings.CORPUS_MAX_DOCUMENT_CHARS)
    first = list(islice(iterator, batch_size))
    if workers <= 1 or len(first) < batch_size:
        batch = first
        while batch:
            only = check_only()
            yield [prepare_article(raw, language, search, only) for raw in batch]
            batch = list(islice(iterator, batch_size))
        return
    chunk = max(1, batch_size // (workers * 4))
    with worker_context().Pool(workers) as pool:

        def submit(batch):
            only = check_only()
            chunks = [(batch[i : i + chunk], language, search, only) for i in range(0, len(batch), chunk)]
            return pool.map_async(_prepare_chunk, chunks)

        # Two batches in flight: workers keep preparing while the caller waits on the database.
        pending = deque([submit(first)])
        while pending:
            if len(pending) < PREFETCH and (following := list(islice(iterator, batch_size))):
                pending.append(submit(following))
                continue
            yield [article for part in pending.popleft().get() for article in part]
