"""GET /api/v1/projects/<slug>/export?format=… (streamed), …/export/report (the same selection's report),
POST …/export/file (the same, written to a file by a background job) and POST …/annotations/import (a job).

Managers and curators of the project; a project the user cannot see is a 404. Parameters are the
command's options (python manage.py export), parsed by ExportOptions.from_params."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ParseError, PermissionDenied
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from corpus.permissions import can_import
from jobs.serializers import JobSerializer, accepted

from .export import (
    WRITERS,
    ExportOptions,
    ExportParameterError,
    ExportReport,
    export_check,
    export_counts,
    export_dry_run,
    export_stream,
)
from .export.options import PARAMETERS
from .jobs import annotations_import_enqueue, export_file_enqueue
from .models import Project
from .permissions import project_access
from .services.annotation_files import annotator_check
from .services.prediction_checks import model_name_check
from .services.readers import READERS

# Up to this many records the headers also carry the alignment counts (a dry run costs ~0.3 s per 1,000).
DRY_RUN_UP_TO = 1_000

EXPORT_PARAMETERS = [
    OpenApiParameter(name, str, OpenApiParameter.QUERY, required=False, enum=values, description=description)
    for name, values, description in PARAMETERS
]


def _project(request, slug):
    project = get_object_or_404(Project.objects.for_user(request.user), slug=slug)
    if not project_access(request.user, project).can_curate:
        raise PermissionDenied("Exports are for the project's curators and managers.")
    return project


def _selection(request, slug):
    """The project and the export options of a request; a bad parameter is a 400 naming the valid values."""
    project = _project(request, slug)
    try:
        options = ExportOptions.from_params(request.query_params, list(WRITERS))
        export_check(project=project, options=options, user=request.user)
    except ExportParameterError as error:
        raise ParseError(str(error)) from None
    return project, options


class ExportView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=EXPORT_PARAMETERS,
        responses={200: OpenApiResponse(description=(
            "The export, streamed. Headers: X-Export-Records, X-Export-Documents and X-Export-Entities count "
            "what it holds; up to 1,000 records, X-Export-Misaligned and X-Export-Nested-Left-Out count the "
            "spans that token alignment expanded or dropped and the nested entities CoNLL left out; "
            "X-Export-Report is the URL of the full report")), 400: OpenApiResponse(
            description="An unknown format or value; the message lists the valid ones")},
        description="Stream the project's annotations. Curators and managers of the project only.",
    )
    def get(self, request, slug):
        project, options = _selection(request, slug)
        writer_class = WRITERS[options.format]
        response = StreamingHttpResponse(
            export_stream(project=project, options=options, report=ExportReport()),
            content_type=writer_class.content_type,
        )
        response["Content-Disposition"] = f'attachment; filename="{project.slug}-{options.format}.{writer_class.extension}"'
        # The summary, counted before the first byte. What alignment expands, drops or leaves out is known
        # only by writing every document: for a small export it is worked out here first (a dry run), for a
        # larger one it is in the report behind X-Export-Report, so that the first byte stays prompt.
        counts = export_counts(project=project, options=options)
        if counts["records"] <= DRY_RUN_UP_TO:
            counts = export_dry_run(project=project, options=options).summary()
        for name, value in counts.items():
            response["X-Export-" + name.replace("_", "-").title()] = str(value)
        query = request.META.get("QUERY_STRING", "")
        response["X-Export-Report"] = f"/api/v1/projects/{project.slug}/export/report?{query}"
        return response


class ExportReportView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=EXPORT_PARAMETERS, responses={200: OpenApiResponse(
        description="Counts, and the spans the export expanded or dropped")})
    def get(self, request, slug):
        project, options = _selection(request, slug)
        return Response(export_dry_run(project=project, options=options).as_dict())


class AnnotationImportSerializer(serializers.Serializer):
    file = serializers.FileField()
    format = serializers.ChoiceField(choices=list(READERS), default="jsonl")
    sentences_per_document = serializers.IntegerField(default=1, min_value=1, max_value=10_000)
    language = serializers.RegexField(r"^[a-z]{2,3}$", default="tr", help_text="CoNLL: the documents' language")
    annotator = serializers.CharField(required=False, allow_blank=True, max_length=150,
                                      help_text="The user the sets belong to (default: you)")
    as_predictions = serializers.CharField(required=False, allow_blank=True, max_length=100,
                                           help_text="MODEL:VERSION: the sets belong to the model")
    collection = serializers.SlugField(required=False, allow_blank=True)
    create_labels = serializers.BooleanField(default=False)
    skip_invalid = serializers.BooleanField(default=False)
    keep_repeats = serializers.BooleanField(default=False, help_text="CoNLL: each copy of a repeated text is a "
                                            "document of its own (the file imported sentence for sentence)")
    offsets = serializers.ChoiceField(choices=["codepoints", "utf16"], required=False,
                                      help_text="doccano, Label Studio: the file's offset unit (default: the "
                                                "tool's own, utf16 for doccano, codepoints for Label Studio)")


class AnnotationImportView(APIView):
    """POST /api/v1/projects/<slug>/annotations/import: the import_annotations command over HTTP (managers)."""

    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser]

    @extend_schema(request=AnnotationImportSerializer, responses={
        202: OpenApiResponse(JobSerializer, description="The import job, queued: poll its `url` until `state` is "
                             "succeeded or failed; its `result` is the report (imported, skipped, "
                             "documents_created, labels_created, problems, notes, committed: nothing is written "
                             "unless everything is valid or skip_invalid)"),
        400: OpenApiResponse(OpenApiTypes.OBJECT, description="Bad parameters, an unknown user, or a user who "
                             "does not annotate the project"),
        403: OpenApiResponse(OpenApiTypes.OBJECT, description="Not a manager, or no corpus import right")})
    def post(self, request, slug):
        project = get_object_or_404(Project.objects.for_user(request.user), slug=slug)
        if not project_access(request.user, project).can_manage:
            raise PermissionDenied("Importing annotations is for the project's managers.")
        params = AnnotationImportSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = dict(params.validated_data)
        upload = data.pop("file")
        # What can be refused at once is refused here (a 400 or 403), not minutes later in the job.
        if data.get("collection") and not can_import(request.user):
            raise PermissionDenied("Creating documents needs the corpus import right (staff or the Corpus managers "
                                   "group).")
        if data.get("as_predictions"):
            try:
                model_name_check(data["as_predictions"])
            except DjangoValidationError as error:
                return Response({"detail": " ".join(error.messages)}, status=400)
        elif data.get("annotator"):
            user = get_user_model().objects.filter(username=data["annotator"]).first()
            if user is None:
                return Response({"detail": f"No user {data['annotator']!r}."}, status=400)
            try:
                annotator_check(project, user)
            except DjangoValidationError as error:
                return Response({"detail": " ".join(error.messages)}, status=400)
        options = {"fmt": data.pop("format"), "offsets": data.pop("offsets", ""),
                   "annotator": data.pop("annotator", "") or "", "as_predictions": data.pop("as_predictions", "") or "",
                   "collection": data.pop("collection", "") or "", **data}
        job = annotations_import_enqueue(project=project, owner=request.user, upload=upload, options=options)
        body = accepted(request, job)
        return Response(body, status=202, headers={"Location": body["url"]})


class ExportFileView(APIView):
    """POST /api/v1/projects/<slug>/export/file?format=…: the export written to a file by a background job
    (for exports too large to stream to a client that may drop the connection); the job's result names the
    file, at GET /api/v1/jobs/<id>/file."""

    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=EXPORT_PARAMETERS, request=None, responses={
        202: OpenApiResponse(JobSerializer, description="The export job, queued: poll its `url`; once it has "
                             "succeeded, its file is at /api/v1/jobs/<id>/file"),
        400: OpenApiResponse(OpenApiTypes.OBJECT, description="An unknown format or value, named")})
    def post(self, request, slug):
        project, options = _selection(request, slug)
        job = export_file_enqueue(project=project, owner=request.user, params=request.query_params.dict(),
                                  options=options)
        body = accepted(request, job)
        return Response(body, status=202, headers={"Location": body["url"]})
