from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Collection, Document, DocumentTokens


@admin.register(Collection)
class CollectionAdmin(admin.ModelAdmin):
    list_display = ["slug", "name", "document_count", "created_at"]
    search_fields = ["slug", "name", "source"]
    readonly_fields = ["document_count", "created_at"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    """Text and its hash are read-only: a document's text never changes after import."""

    list_display = ["id", "title", "collection", "language", "published_on", "external_id", "imported_at"]
    list_filter = ["collection", "language", "published_on"]
    search_fields = ["external_id", "title"]
    list_select_related = ["collection"]
    readonly_fields = ["text", "text_sha256", "imported_at", "collection"]
    show_full_result_count = False

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs.defer("text") if request.resolver_match.url_name.endswith("changelist") else qs

    def has_add_permission(self, request):
        return False  # documents come in through the import, which tokenizes them


@admin.register(DocumentTokens)
class DocumentTokensAdmin(admin.ModelAdmin):
    """Read only: tokens are computed once at import and stored packed."""

    list_display = ["document_id", "tokenizer", "token_count"]
    list_filter = ["tokenizer"]
    search_fields = ["document__external_id"]
    fields = ["document", "tokenizer", "token_count", "sentence_count"]
    readonly_fields = fields
    show_full_result_count = False

    @admin.display(description=_("Sentences"))
    def sentence_count(self, obj):
        return len(obj.sentence_starts())

    def get_queryset(self, request):
        return super().get_queryset(request).defer("tokens", "sentences")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return request.method == "GET" and super().has_view_permission(request, obj)
