"""documents_retokenize: the stored tokens of documents imported by an older tokenizer, computed again by
the current one (corpus.tokens.TOKENIZER_VERSION). The text never changes, so neither does any offset;
what can change is which offsets are token edges. A document whose tokens came with it (a CoNLL file,
tokenizer "file") keeps them."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from corpus.models import DocumentTokens
from corpus.services.analyze import tables_analyze
from corpus.services.tokenized import TOKENIZER as FILE_TOKENIZER
from corpus.tokens import TOKENIZER_VERSION, tokenize_packed, unpack_tokens

BATCH_SIZE = 500


@dataclass
class RetokenizeReport:
    checked: int = 0
    changed: int = 0  # documents whose tokens or sentences are not what they were


def documents_retokenize(*, document_ids=None, write: bool = True,
                         on_change: Callable[[int, str, list, list], None] | None = None,
                         progress: Callable[[int], None] | None = None) -> RetokenizeReport:
    """Tokenize again every document (of `document_ids`, if given) not tokenized by the current tokenizer.
    `on_change(document_id, text, old_tokens, new_tokens)` is called for each document whose tokens change;
    with write=False nothing is stored (a dry run)."""
    report = RetokenizeReport()
    rows = DocumentTokens.objects.exclude(tokenizer__in=[TOKENIZER_VERSION, FILE_TOKENIZER])
    if document_ids is not None:
        rows = rows.filter(document_id__in=document_ids)
    ids = list(rows.order_by("document_id").values_list("document_id", flat=True))
    for first in range(0, len(ids), BATCH_SIZE):
        with transaction.atomic():
            batch = list(DocumentTokens.objects.filter(document_id__in=ids[first:first + BATCH_SIZE])
                         .select_related("document").only("document__text", "document__language", "tokens",
                                                          "sentences", "token_count", "tokenizer"))
            for row in batch:
                tokens, sentences, count = tokenize_packed(row.document.text, row.document.language)
                if (bytes(row.tokens), bytes(row.sentences)) != (tokens, sentences):
                    report.changed += 1
                    if on_change:
                        on_change(row.document_id, row.document.text, unpack_tokens(row.tokens),
                                  unpack_tokens(tokens))
                row.tokens, row.sentences, row.token_count, row.tokenizer = tokens, sentences, count, TOKENIZER_VERSION
            if write:
                DocumentTokens.objects.bulk_update(batch, ["tokens", "sentences", "token_count", "tokenizer"])
        report.checked += len(batch)
        if progress:
            progress(len(batch))
    if write:
        tables_analyze(DocumentTokens, written=report.changed)
    return report
