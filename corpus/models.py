"""Collections of articles and their immutable text, tokens and sentences."""

from django.db import connection, models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .search import STEMMED_LANGUAGE, search_fold, search_query
from .tokens import unpack_indexes, unpack_tokens

IMMUTABLE_FIELDS = frozenset({"text", "text_sha256", "repeat"})
# PostgreSQL only, outside the model so that no query loads it: written by the import and by
# corpus.services.search_index, GIN-indexed (migration 0004).
SEARCH_VECTOR = "corpus_document.search_vector"


class ImmutableTextError(Exception):
    """Raised on any attempt to change a document's text after import."""

    def __init__(self):
        super().__init__("A document's text cannot change after import; import a new document instead.")


class Collection(models.Model):
    slug = models.SlugField(max_length=100, unique=True, verbose_name=_("slug"))
    name = models.CharField(max_length=200, verbose_name=_("name"))
    source = models.TextField(
        blank=True,
        help_text=_("Where the articles come from (agency, feed, crawl)."),
        verbose_name=_("source"),
    )
    document_count = models.PositiveIntegerField(default=0, editable=False, verbose_name=_("document count"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("collection")
        verbose_name_plural = _("collections")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("corpus:collection", kwargs={"slug": self.slug})


class DocumentQuerySet(models.QuerySet):
    def update(self, **kwargs):
        if IMMUTABLE_FIELDS & kwargs.keys():
            raise ImmutableTextError()
        return super().update(**kwargs)

    def listing(self):
        """What a list page needs, without the (large) text."""
        return self.only(
            "id", "collection_id", "external_id", "title", "published_on", "language", "imported_at"
        )

    def search(self, query: str):
        """Full-text search on PostgreSQL (Turkish stemming for Turkish documents; corpus.search), substring
        elsewhere. Web-search syntax: "a phrase", `or`, -excluded."""
        query = query.strip()
        if not query:
            return self
        if connection.vendor != "postgresql":
            # A substring, with the capitals and dots folded as the full-text search folds them (I, İ, ı
            # and i meet; corpus.sqlite_functions). instr, not LIKE: % and _ in a query are plain characters.
            folded = search_fold(query)
            return self.extra(
                where=[
                    "(instr(haber_fold(corpus_document.text), %s) > 0 "
                    "OR instr(haber_fold(corpus_document.title), %s) > 0)"
                ],
                params=[folded, folded],
            )
        stemmed, plain = search_query(query, STEMMED_LANGUAGE), search_query(query, "simple")
        if not stemmed and not plain:
            return self.none()
        # Two conditions on the one GIN index (a BitmapOr), not a CASE, which no index could serve.
        where, params = [], []
        for tsquery, language_test in ((stemmed, "="), (plain, "<>")):
            if tsquery:
                where.append(
                    f"(corpus_document.language {language_test} %s AND {SEARCH_VECTOR} @@ %s::tsquery)"
                )
                params += [STEMMED_LANGUAGE, tsquery]
        return self.extra(where=[" OR ".join(where)], params=params)


class Document(models.Model):
    # No index of its own: the unique (collection, text_sha256) index serves every lookup by collection. A
    # second index on the column alone let PostgreSQL answer the import's duplicate check ("these hashes in
    # this collection") by scanning every row the import had already written in its transaction, which the
    # planner's statistics cannot see: each batch slower than the last (corpus.0005, docs/benchmarks.md).
    collection = models.ForeignKey(
        Collection,
        on_delete=models.PROTECT,
        related_name="documents",
        db_index=False,
        verbose_name=_("collection"),
    )
    external_id = models.CharField(max_length=500, blank=True, db_index=True, verbose_name=_("external id"))
    title = models.CharField(max_length=500, blank=True, verbose_name=_("title"))
    published_on = models.DateField(null=True, blank=True, db_index=True, verbose_name=_("published on"))
    language = models.CharField(max_length=16, db_index=True, verbose_name=_("language"))
    url = models.URLField(max_length=2000, blank=True, verbose_name=_("url"))
    text = models.TextField(verbose_name=_("text"))
    text_sha256 = models.CharField(max_length=64, verbose_name=_("text sha256"))
    meta = models.JSONField(default=dict, blank=True, verbose_name=_("meta"))
    # A collection holds a text once; a file that repeats it on purpose (a CoNLL corpus, sentence by
    # sentence) may keep each copy as a document of its own: the n-th copy has repeat n.
    repeat = models.PositiveIntegerField(default=0, db_default=0, verbose_name=_("repeat"))
    imported_at = models.DateTimeField(auto_now_add=True, db_index=True, verbose_name=_("imported at"))

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["collection", "text_sha256", "repeat"], name="document_text_unique_in_collection"
            ),
        ]

    def __str__(self):
        return self.title or self.external_id or f"Document {self.pk}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            fields = kwargs.get("update_fields")
            stored = Document.objects.filter(pk=self.pk).values_list("text", "text_sha256").first()
            if stored is not None and stored != (self.text, self.text_sha256):
                raise ImmutableTextError()
            if fields is None:
                kwargs["update_fields"] = [
                    f.name
                    for f in self._meta.concrete_fields
                    if not f.primary_key and f.name not in IMMUTABLE_FIELDS
                ]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("corpus:document", kwargs={"pk": self.pk})


class DocumentTokensQuerySet(models.QuerySet):
    def packed_for(self, document_id: int):
        """The document's packed tokens (corpus.tokens.unpack_token_lists reads them), or None: one fixed
        statement, on the annotation page's path (the ORM's compile cost twice the database's answer)."""
        table = connection.ops.quote_name(self.model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT tokens FROM {table} WHERE document_id = %s", [document_id])
            row = cursor.fetchone()
        return row[0] if row else None


class DocumentTokens(models.Model):
    """Tokens and sentence starts of one document, packed; one row, one query to load."""

    document = models.OneToOneField(
        Document,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="segmentation",
        verbose_name=_("document"),
    )
    tokenizer = models.CharField(max_length=40, verbose_name=_("tokenizer"))
    token_count = models.PositiveIntegerField(verbose_name=_("token count"))
    tokens = models.BinaryField(verbose_name=_("tokens"))
    sentences = models.BinaryField(verbose_name=_("sentences"))

    objects = DocumentTokensQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = _("document tokens")

    def __str__(self):
        return f"Tokens of document {self.document_id}"

    def token_offsets(self) -> list[tuple[int, int]]:
        return unpack_tokens(self.tokens)

    def sentence_starts(self) -> list[int]:
        return unpack_indexes(self.sentences)

    def sentence_spans(self) -> list[tuple[int, int]]:
        """(first token index, end token index) of every sentence."""
        starts = self.sentence_starts()
        return list(zip(starts, [*starts[1:], self.token_count], strict=True))
