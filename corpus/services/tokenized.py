"""Documents whose tokens come with them (a CoNLL file): the file's tokens and sentences are kept as the
document's own, so an export gives back exactly the file's token sequence."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import F

from corpus.models import Collection, Document, DocumentTokens
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


@transaction.atomic
def documents_create_tokenized(
    *, collection: Collection, items: list[TokenizedText]
) -> tuple[dict[str, Document], int]:
    """Create the documents not in the collection yet (by text): (every item's document by text hash, how many
    were created)."""
    by_sha = {text_sha256(i.text): i for i in items}
    existing = {d.text_sha256: d for d in Document.objects.filter(collection=collection, text_sha256__in=by_sha)}
    fresh = [(sha, item) for sha, item in by_sha.items() if sha not in existing]
    created = Document.objects.bulk_create(
        [Document(collection=collection, external_id=item.external_id, title=derive_title(item.text),
                  language=item.language, text=item.text, text_sha256=sha) for sha, item in fresh],
        batch_size=1000,
    )
    DocumentTokens.objects.bulk_create(
        [DocumentTokens(document=doc, tokenizer=TOKENIZER, token_count=len(item.tokens),
                        tokens=pack(item.tokens, item.sentences)[0], sentences=pack(item.tokens, item.sentences)[1])
         for doc, (_sha, item) in zip(created, fresh, strict=True)],
        batch_size=1000,
    )
    search_vectors_write(documents=[(doc.pk, doc.title, doc.text, doc.language) for doc in created])
    if created:
        Collection.objects.filter(pk=collection.pk).update(document_count=F("document_count") + len(created))
    return {**existing, **{doc.text_sha256: doc for doc in created}}, len(created)
