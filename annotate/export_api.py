"""GET /api/v1/projects/<slug>/export?format=… (streamed) and …/export/report (the same selection's report).

Managers and curators of the project; a project the user cannot see is a 404. Parameters are the
command's options (python manage.py export), parsed by ExportOptions.from_params."""

from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from .export import WRITERS, ExportOptions, ExportParameterError, ExportReport, export_stream
from .export.options import PARAMETERS
from .models import Project
from .permissions import project_access

EXPORT_PARAMETERS = [
    OpenApiParameter(name, str, OpenApiParameter.QUERY, required=False, enum=values, description=description)
    for name, values, description in PARAMETERS
]


def _project(request, slug):
    project = get_object_or_404(Project.objects.for_user(request.user), slug=slug)
    if not project_access(request.user, project).can_curate:
        raise PermissionDenied("Exports are for the project's curators and managers.")
    return project


class ExportView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=EXPORT_PARAMETERS,
        responses={200: OpenApiResponse(description="The export, streamed"), 400: OpenApiResponse(
            description="An unknown format or value; the message lists the valid ones")},
        description="Stream the project's annotations. Curators and managers of the project only.",
    )
    def get(self, request, slug):
        project = _project(request, slug)
        try:
            options = ExportOptions.from_params(request.query_params, list(WRITERS))
        except ExportParameterError as error:
            return Response({"detail": str(error)}, status=400)
        writer_class = WRITERS[options.format]
        response = StreamingHttpResponse(
            export_stream(project=project, options=options, report=ExportReport()),
            content_type=writer_class.content_type,
        )
        response["Content-Disposition"] = f'attachment; filename="{project.slug}.{writer_class.extension}"'
        query = request.META.get("QUERY_STRING", "")
        response["X-Export-Report"] = f"/api/v1/projects/{project.slug}/export/report?{query}"
        return response


class ExportReportView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=EXPORT_PARAMETERS, responses={200: OpenApiResponse(
        description="Counts, and the spans the export expanded or dropped")})
    def get(self, request, slug):
        project = _project(request, slug)
        try:
            options = ExportOptions.from_params(request.query_params, list(WRITERS))
        except ExportParameterError as error:
            return Response({"detail": str(error)}, status=400)
        report = ExportReport()
        for _piece in export_stream(project=project, options=options, report=report):
            pass
        return Response(report.as_dict())
