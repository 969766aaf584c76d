"""GET /api/v1/projects/<slug>/export?format=… (streamed) and …/export/report (the same selection's report).

Managers and curators of the project; a project the user cannot see is a 404. Parameters are the
command's options (python manage.py export), parsed by ExportOptions.from_params."""

from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from .export import WRITERS, ExportOptions, ExportParameterError, ExportReport, export_stream
from .models import Project
from .permissions import project_access


def _project(request, slug):
    project = get_object_or_404(Project.objects.for_user(request.user), slug=slug)
    if not project_access(request.user, project).can_curate:
        raise PermissionDenied("Exports are for the project's curators and managers.")
    return project


class ExportView(APIView):
    permission_classes = [IsAuthenticated]

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
