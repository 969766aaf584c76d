"""The admin of the models trained here: the runs (read-only: a run is made by its job) and the documents'
uncertainty under the model in use (deleting rows puts those documents back in assignment order)."""

from django.contrib import admin

from annotate.models import DocumentUncertainty, TrainedModel


@admin.register(TrainedModel)
class TrainedModelAdmin(admin.ModelAdmin):
    list_display = ["__str__", "state", "created_by", "created_at", "finished_at"]
    list_filter = ["state", "project"]
    readonly_fields = ["project", "number", "state", "job_id", "settings", "counts", "curve", "scores", "path",
                       "gold_at_start", "created_by", "created_at", "finished_at"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):  # its predictions, archive and the project's choice
        return False                                      # of model depend on it: a run is never taken back


@admin.register(DocumentUncertainty)
class DocumentUncertaintyAdmin(admin.ModelAdmin):
    list_display = ["document", "score", "model", "project"]
    list_filter = ["project"]
    raw_id_fields = ["document"]
    show_full_result_count = False
