"""The Django admin for what the work produces: tasks (annotators' tasks and gold sets) with their
transitions, progress counters, agreement caches, and the annotations with their history."""


from django.contrib import admin
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from annotate.admin.records import RecordAdmin
from annotate.models import (
    AnnotationChange,
    DocumentAgreement,
    DurationBucket,
    Event,
    EventArgument,
    ProgressCounter,
    Project,
    ProjectAgreement,
    Span,
    Task,
    TaskTransition,
)
from annotate.services import tasks_unassign


class TransitionInline(admin.TabularInline):
    model = TaskTransition
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "by", "at", "comment"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    """Annotators' tasks and documents' gold sets alike (the `kind` column and filter tell them apart):
    the admin reads Task.all_kinds, not Task.objects, which leaves gold sets out on purpose."""

    list_display = [
        "id",
        "kind",
        "project",
        "annotator",
        "document_id",
        "status",
        "assigned_at",
        "finished_at",
        "seconds_spent",
    ]
    list_filter = ["kind", "status", "project", "collection"]
    search_fields = ["annotator__username", "document__external_id", "document__title"]
    raw_id_fields = ["document", "annotator", "assigned_by"]
    readonly_fields = [
        "kind",
        "project",
        "document",
        "collection",
        "annotator",
        "status",
        "assigned_at",
        "started_at",
        "finished_at",
        "seconds_spent",
        "opened_at",
    ]
    list_select_related = ["project", "annotator"]
    show_full_result_count = False
    inlines = [TransitionInline]
    actions = ["unassign_not_started"]

    def get_queryset(self, request):
        return Task.all_kinds.all()

    def has_add_permission(self, request):
        return False  # tasks come from assignment, which keeps overlap and balance

    @admin.action(description=_("Unassign the selected tasks that are not started"))
    def unassign_not_started(self, request, queryset):
        removed = 0
        pairs = queryset.values_list("project_id", "annotator_id").distinct().order_by()
        for project, annotator in [
            (Project.objects.get(pk=p), get_user_model().objects.get(pk=a)) for p, a in pairs
        ]:
            ids = list(queryset.filter(project=project, annotator=annotator).values_list("id", flat=True))
            removed += tasks_unassign(project=project, annotator=annotator, task_ids=ids).moved
        self.message_user(request, ngettext(
            "%(count)s task unassigned; started, submitted and skipped tasks were kept.",
            "%(count)s tasks unassigned; started, submitted and skipped tasks were kept.", removed) % {"count": removed})


@admin.register(TaskTransition)
class TaskTransitionAdmin(admin.ModelAdmin):
    list_display = ["task", "from_status", "to_status", "by", "at", "comment"]
    list_filter = ["to_status"]
    search_fields = ["by__username", "comment"]
    raw_id_fields = ["task"]
    show_full_result_count = False


@admin.register(ProgressCounter)
class ProgressCounterAdmin(admin.ModelAdmin):
    list_display = ["project", "annotator", "collection", "status", "count", "seconds"]
    list_filter = ["project", "status"]
    search_fields = ["annotator__username"]


@admin.register(DurationBucket)
class DurationBucketAdmin(admin.ModelAdmin):
    list_display = ["project", "annotator", "bucket", "count"]
    list_filter = ["project"]
    search_fields = ["annotator__username"]


class _AgreementCacheAdmin(admin.ModelAdmin):
    """Kept agreement tallies: computed by the report, read here, never edited by hand (deleting them only
    makes the next report compute them again)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(DocumentAgreement)
class DocumentAgreementAdmin(_AgreementCacheAdmin):
    list_display = ["project", "document", "signature"]
    list_filter = ["project"]
    search_fields = ["signature", "project__slug"]
    raw_id_fields = ["document"]


@admin.register(ProjectAgreement)
class ProjectAgreementAdmin(_AgreementCacheAdmin):
    list_display = ["project", "updated_at"]
    search_fields = ["project__slug"]


@admin.register(Span)
class SpanAdmin(admin.ModelAdmin):
    list_display = ["id", "task", "label", "start", "end", "origin", "created_at"]
    list_filter = ["label__layer", "label__project"]
    raw_id_fields = ["task"]
    show_full_result_count = False


class ArgumentInline(admin.TabularInline):
    model = EventArgument
    extra = 0
    raw_id_fields = ["span"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["id", "task", "event_type", "start", "end", "created_at"]
    list_filter = ["event_type__project"]
    raw_id_fields = ["task"]
    inlines = [ArgumentInline]
    show_full_result_count = False


@admin.register(EventArgument)
class EventArgumentAdmin(admin.ModelAdmin):
    list_display = ["id", "event", "role", "span"]
    list_filter = ["role__event_type__project"]
    search_fields = ["role__name"]
    raw_id_fields = ["event", "span"]


@admin.register(AnnotationChange)
class AnnotationChangeAdmin(RecordAdmin):
    """The append-only history: read only."""

    list_display = ["task", "seq", "kind", "action", "by", "at"]
    list_filter = ["kind"]
    search_fields = ["action", "by__username"]
    raw_id_fields = ["task"]
    show_full_result_count = False


