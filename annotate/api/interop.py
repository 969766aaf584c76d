"""GET /api/v1/projects/<slug>/export?format=… (streamed), …/export/report (the same selection's report),
POST …/export/file (the same, written to a file by a background job) and POST …/annotations/import (a job).

Managers and curators of the project export, managers import; a project the user has no part in is a
404 (annotate.permissions.project_for). Parameters are the command's options (python manage.py export),
read by annotate.interop.export.export_options."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ParseError
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from annotate.interop.export import (
    PARAMETERS,
    ExportParameterError,
    export_counts,
    export_dry_run,
    export_options,
    export_parameters_check,
    export_stream,
    get_writer,
    in_chunks,
)
from annotate.interop.formats import READERS
from annotate.interop.importing.authors import annotator_map_read
from annotate.interop.units import OFFSET_UNITS
from annotate.jobs import annotations_import_request, export_file_enqueue
from annotate.permissions import project_for
from jobs.serializers import JobSerializer, accepted

EXPORT_PARAMETERS = [
    OpenApiParameter(name, str, OpenApiParameter.QUERY, required=False, enum=values, description=description)
    for name, values, description in PARAMETERS
]


def _selection(request, slug):
    """The project (curators and managers) and the export options of a request; a bad parameter is a 400
    naming the valid values."""
    project, _access = project_for(request.user, slug, "curate")
    try:
        export_parameters_check(request.query_params)
        return project, export_options(project=project, params=request.query_params, user=request.user)
    except ExportParameterError as error:
        raise ParseError(str(error)) from None


class ExportView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=EXPORT_PARAMETERS,
        responses={200: OpenApiResponse(description=(
            "The export, streamed from the first byte. Headers: X-Export-Records, X-Export-Documents and (up "
            "to 1,000 records) X-Export-Entities count what it holds, in the database; what token alignment "
            "expands or drops and the nested entities CoNLL leaves out are known only at the end, in the "
            "report at X-Export-Report")), 400: OpenApiResponse(
            description="An unknown parameter, format or value; the message lists the valid ones")},
        description="Stream the project's annotations. Curators and managers of the project only.",
    )
    def get(self, request, slug):
        project, options = _selection(request, slug)
        writer = get_writer(options.format, options)
        response = StreamingHttpResponse(in_chunks(export_stream(project=project, writer=writer)),
                                         content_type=writer.content_type)
        response["Content-Disposition"] = f'attachment; filename="{project.slug}-{options.format}.{writer.extension}"'
        # Only what the database counts cheaply goes in the headers: the export is never computed twice, so
        # the first byte leaves at once; what alignment expands or drops is in the report (X-Export-Report).
        for name, value in export_counts(project=project, options=options).items():
            if value is not None:
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
    collection = serializers.SlugField(required=False, allow_blank=True,
                                       help_text="Where documents not in the project yet are created")
    attach_collection = serializers.BooleanField(default=False, help_text="Allow `collection` to be one that is not "
                                                 "the project's yet (a new one included): it becomes one of them")
    create_labels = serializers.BooleanField(default=False)
    skip_invalid = serializers.BooleanField(default=False)
    keep_repeats = serializers.BooleanField(default=False, help_text="CoNLL: each copy of a repeated text is a "
                                            "document of its own (the file imported sentence for sentence)")
    offsets = serializers.ChoiceField(choices=list(OFFSET_UNITS), required=False,
                                      help_text="doccano, Label Studio: the file's offset unit (default: the "
                                                "tool's own, utf16 for doccano, codepoints for Label Studio; "
                                                "graphemes for doccano's grapheme mode)")
    annotator_map = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False,
                                          help_text='Label Studio: a JSON object from each annotation\'s author '
                                                    '(completed_by id or e-mail) to a username, e.g. {"17": "ayse"}')
    text_field = serializers.CharField(required=False, allow_blank=True, max_length=200,
                                       help_text="Label Studio: the field of `data` holding the text (default: "
                                                 "text, or the one string field)")

    def validate_annotator_map(self, value):
        if not value.strip():
            return None
        try:
            return annotator_map_read(value)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from None


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
        project, _access = project_for(request.user, slug, "manage")
        params = AnnotationImportSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = dict(params.validated_data)
        upload = data.pop("file")
        try:
            job = annotations_import_request(project=project, by=request.user, upload=upload, options=data)
        except DjangoValidationError as error:
            return Response({"detail": " ".join(error.messages)}, status=400)
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
        400: OpenApiResponse(OpenApiTypes.OBJECT, description="An unknown parameter, format or value, named")})
    def post(self, request, slug):
        project, options = _selection(request, slug)
        job = export_file_enqueue(project=project, owner=request.user, params=request.query_params.dict(),
                                  options=options)
        body = accepted(request, job)
        return Response(body, status=202, headers={"Location": body["url"]})
