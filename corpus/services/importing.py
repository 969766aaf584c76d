"""documents_import: the one function behind the command, the upload page and the API."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from corpus.formats import AUTO, ImportProblem, get_format
from corpus.formats.base import LANGUAGE_CODE, RawArticle
from corpus.formats.sources import InputFile, read_articles
from corpus.models import Collection, Document, DocumentTokens
from corpus.pipeline import PreparedArticle, prepared_batches
from corpus.services.analyze import tables_analyze
from corpus.services.search_index import has_search_vector
from corpus.text import grouped

BATCH_SIZE = 500


@dataclass
class ImportReport:
    imported: int = 0
    duplicates: int = 0
    rejected: list[ImportProblem] = field(default_factory=list)
    committed: bool = True

    @property
    def ok(self) -> bool:
        return not self.rejected

    def as_dict(self) -> dict:
        return {
            "imported": self.imported,
            "duplicates": self.duplicates,
            "rejected": [p.as_dict() for p in self.rejected],
            "committed": self.committed,
        }

    def summary(self) -> str:
        text = _("Imported %(imported)s, duplicates skipped %(duplicates)s, rejected %(rejected)s.") % {
            "imported": grouped(self.imported), "duplicates": grouped(self.duplicates),
            "rejected": grouped(len(self.rejected))}
        if not self.committed:
            text += " " + nothing_written()
        return text


def nothing_written() -> str:
    """What an all-or-nothing import that met a problem says, in each of the ways to start one."""
    return _("Nothing was written. To import the rest, import again with “Skip invalid” "
             "(command: --skip-invalid; API: skip_invalid=true).")


class _Rollback(Exception):
    pass


def documents_import(
    *,
    collection: Collection,
    inputs: Iterable[InputFile | ImportProblem] = (),
    articles: Iterable[RawArticle | ImportProblem] | None = None,
    fmt: str = AUTO,
    language: str | None = None,
    encoding: str | None = None,
    skip_invalid: bool = False,
    workers: int = 1,
    progress: Callable[[int], None] | None = None,
    max_file_bytes: int | None = None,
) -> ImportReport:
    """Import articles into a collection. All or nothing unless skip_invalid: with problems and without
    skip_invalid, every problem is reported and no row is written. A text already in the collection is
    skipped and counted, so importing the same files twice changes nothing."""
    if fmt != AUTO:
        get_format(fmt)
    if language is not None and not LANGUAGE_CODE.match(language):
        raise ValueError(_("language %(value)r is not a language code like 'tr' or 'sq'") % {"value": language})
    report = ImportReport()
    items = articles if articles is not None else read_articles(
        inputs, fmt=fmt, encoding=encoding, max_file_bytes=max_file_bytes
    )
    try:
        with transaction.atomic():
            # Once an all-or-nothing import has a problem, nothing more will be written: the rest is only
            # checked (not tokenized), to report every problem quickly.
            batches = prepared_batches(
                items, language=language, batch_size=BATCH_SIZE, workers=workers, search=has_search_vector(),
                check_only=lambda: bool(report.rejected) and not skip_invalid,
            )
            for batch in batches:
                ready = [a for a in batch if isinstance(a, PreparedArticle)]
                # A worker process has no language: what it found is put in the person's here.
                report.rejected.extend(ImportProblem(a.source, _(a.message), a.line)
                                       for a in batch if isinstance(a, ImportProblem))
                if report.rejected and not skip_invalid:
                    ready = []  # keep reading to report every problem, write nothing more
                _store(collection, ready, report)
                if progress:
                    progress(len(batch))
            if report.rejected and not skip_invalid:
                raise _Rollback
            if report.imported:
                Collection.objects.filter(pk=collection.pk).update(
                    document_count=F("document_count") + report.imported
                )
    except _Rollback:
        report.imported = 0
        report.committed = False
    tables_analyze(Document, DocumentTokens, written=report.imported)
    return report


def _store(collection: Collection, articles: list[PreparedArticle], report: ImportReport) -> None:
    """Insert one batch; a text already in the collection (or earlier in the batch) is a duplicate."""
    if not articles:
        return
    unique, seen = [], set()
    for article in articles:
        if article.text_sha256 not in seen:
            seen.add(article.text_sha256)
            unique.append(article)
    if connection.vendor == "postgresql":
        inserted = _copy(collection, unique)
    else:
        existing = set(
            Document.objects.filter(collection=collection, text_sha256__in=seen).values_list("text_sha256", flat=True)
        )
        fresh = [a for a in unique if a.text_sha256 not in existing]
        _bulk_create(collection, fresh)
        inserted = len(fresh)
    report.duplicates += len(articles) - inserted
    report.imported += inserted


def _bulk_create(collection: Collection, fresh: list[PreparedArticle]) -> None:
    documents = Document.objects.bulk_create(
        [
            Document(
                collection=collection,
                external_id=a.external_id,
                title=a.title,
                published_on=a.published_on,
                language=a.language,
                url=a.url,
                text=a.text,
                text_sha256=a.text_sha256,
                meta=a.meta,
            )
            for a in fresh
        ]
    )
    DocumentTokens.objects.bulk_create(
        [
            DocumentTokens(
                document=doc,
                tokenizer=a.tokenizer,
                token_count=a.token_count,
                tokens=a.tokens,
                sentences=a.sentences,
            )
            for doc, a in zip(documents, fresh, strict=True)
        ]
    )


def _copy(collection: Collection, fresh: list[PreparedArticle]) -> int:
    """PostgreSQL: COPY the batch into a temporary table, then move it into corpus_document with ON CONFLICT
    DO NOTHING, so that the unique (collection, text) index itself skips the texts already there: one probe
    per row. (A separate "which of these are there?" query was planned from statistics that cannot see the
    rows this import has written in its transaction, and scanned all of them for every batch.) The tokens
    of the rows that went in follow by COPY. Returns how many documents were inserted."""
    from psycopg.types.json import Jsonb

    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE IF NOT EXISTS import_batch (LIKE corpus_document INCLUDING DEFAULTS) ON COMMIT DROP"
        )
        cursor.execute("TRUNCATE import_batch")
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence('corpus_document', 'id')) FROM generate_series(1, %s)",
            [len(fresh)],
        )
        ids = [row[0] for row in cursor.fetchall()]
        raw = cursor.cursor
        with raw.copy(f"COPY import_batch ({DOCUMENT_COLUMNS}) FROM STDIN") as copy:
            for pk, a in zip(ids, fresh, strict=True):
                copy.write_row(
                    (
                        pk,
                        collection.pk,
                        a.external_id,
                        a.title,
                        a.published_on,
                        a.language,
                        a.url,
                        a.text,
                        a.text_sha256,
                        Jsonb(a.meta),
                        now,
                        a.search_vector,
                    )
                )
        cursor.execute(
            f"INSERT INTO corpus_document ({DOCUMENT_COLUMNS}) SELECT {DOCUMENT_COLUMNS} FROM import_batch "
            "ON CONFLICT (collection_id, text_sha256, repeat) DO NOTHING RETURNING id"
        )
        inserted = {row[0] for row in cursor.fetchall()}
        with raw.copy(f"COPY corpus_documenttokens ({TOKEN_COLUMNS}) FROM STDIN") as copy:
            for pk, a in zip(ids, fresh, strict=True):
                if pk in inserted:
                    copy.write_row((pk, a.tokenizer, a.token_count, a.tokens, a.sentences))
    return len(inserted)


DOCUMENT_COLUMNS = (
    "id, collection_id, external_id, title, published_on, language, url, text, text_sha256, meta, imported_at, "
    "search_vector"
)
TOKEN_COLUMNS = "document_id, tokenizer, token_count, tokens, sentences"
