"""The admin of dataset releases: read-only (a release is cut on its page or through the API, built by its
job, and afterwards only withdrawn there), never deleted (a name always means the same files)."""

from django.contrib import admin

from annotate.models import Release


@admin.register(Release)
class ReleaseAdmin(admin.ModelAdmin):
    list_display = ["__str__", "state", "created_by", "created_at", "withdrawn_at"]
    list_filter = ["state", "project"]
    search_fields = ["name", "notes"]
    readonly_fields = [f.name for f in Release._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
