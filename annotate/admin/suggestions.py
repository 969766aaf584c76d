"""The admin of what the suggesters remember: a manager who wants a gazetteer entry or a repeated line gone
deletes it here, and a string a curator's gold set stopped the project suggesting comes back when its
project rejection is deleted."""

from django.contrib import admin

from annotate.models import GazetteerEntry, ProjectRejection, RepeatedLine, SuggestionRejection


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


@admin.register(ProjectRejection)
class ProjectRejectionAdmin(admin.ModelAdmin):
    """Labels on strings that curators took out of gold sets: not suggested in the project. Delete one (the
    action "Delete selected") to let the project suggest it again."""

    list_display = ["text", "label", "project", "by", "at"]
    list_filter = ["project"]
    search_fields = ["key", "text"]
    readonly_fields = ["project", "label", "key", "text", "by", "at"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False  # they come from curators' changes
