"""The admin of what the suggesters remember (imported by annotate.admin.projects): a manager who wants a gazetteer
entry or a repeated line gone deletes it here."""

from django.contrib import admin

from annotate.models import GazetteerEntry, RepeatedLine, SuggestionRejection


@admin.register(GazetteerEntry)
class GazetteerEntryAdmin(admin.ModelAdmin):
    list_display = ["key", "label", "owner", "project", "created_at"]
    list_filter = ["project"]
    search_fields = ["key"]
    raw_id_fields = ["owner"]
    show_full_result_count = False


@admin.register(RepeatedLine)
class RepeatedLineAdmin(admin.ModelAdmin):
    list_display = ["line_hash", "label", "collection_id", "project", "created_at"]
    list_filter = ["project"]
    show_full_result_count = False


@admin.register(SuggestionRejection)
class SuggestionRejectionAdmin(admin.ModelAdmin):
    list_display = ["task", "label", "start", "end", "origin", "at"]
    raw_id_fields = ["task"]
    show_full_result_count = False
