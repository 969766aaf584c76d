"""The admin of dataset releases: read-only (a release is cut on its page or through the API, built by its
job, and afterwards only withdrawn there), never deleted (a name always means the same files)."""

from django.contrib import admin

from annotate.admin.records import RecordAdmin
from annotate.models import Release


@admin.register(Release)
class ReleaseAdmin(RecordAdmin):
    list_display = ["__str__", "state", "created_by", "created_at", "withdrawn_at"]
    list_filter = ["state", "project"]
    search_fields = ["name", "notes"]
