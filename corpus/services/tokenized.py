"""Documents whose tokens come with them (a CoNLL file): the file's tokens and sentences are kept as the
document's own, so an export gives back exactly the file's token sequence."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import F

from corpus.models import Collection, Document, DocumentTokens
from corpus.services.analyze import tables_analyze
from corpus.services.search_index import search_vectors_write
from corpus.text import derive_title, text_sha256
from corpus.tokens import pack

TOKENIZER = "file"


@dataclass
class TokenizedText:
    text: str
    tokens: list[tuple[int, int]]
    sentences: list[int]
    external_id: str
    language: str
    repeat: int = 0  # the n-th copy of this text kept as a document of its own


@transaction.atomic
def documents_create_tokenized(
    *, collection: Collection, items: list[TokenizedText]
) -> tuple[dict[tuple[str, int], Document], int]:
    """Create the documents not in the collection yet (by text and repeat): (every item's document by
    (text hash, repeat), how many were created)."""
    by_key = {(text_sha256(i.text), i.repeat): i for i in items}
    shas = sorted({sha for sha, _repeat in by_key})
    existing = {(d.text_sha256, d.repeat): d for i in range(0, len(shas), 5000)
                for d in Document.objects.filter(collection=collection, text_sha256__in=shas[i:i + 5000])}
    fresh = [(key, item) for key, item in by_key.items() if key not in existing]
    created = Document.objects.bulk_create(
        [Document(collection=collection, external_id=item.external_id, title=derive_title(item.text),
                  language=item.language, text=item.text, text_sha256=sha, repeat=repeat)
         for (sha, repeat), item in fresh],
        batch_size=1000,
    )
    packed = [(doc, item, *pack(item.tokens, item.sentences)) for doc, (_key, item) in zip(created, fresh, strict=True)]
    DocumentTokens.objects.bulk_create(
        [DocumentTokens(document=doc, tokenizer=TOKENIZER, token_count=len(item.tokens), tokens=tokens,
                        sentences=sentences) for doc, item, tokens, sentences in packed],
        batch_size=1000,
    )
    search_vectors_write(documents=[(doc.pk, doc.title, doc.text, doc.language) for doc in created])
    if created:
        Collection.objects.filter(pk=collection.pk).update(document_count=F("document_count") + len(created))
    tables_analyze(Document, DocumentTokens, written=len(created))
    return {**existing, **{(doc.text_sha256, doc.repeat): doc for doc in created}}, len(created)
