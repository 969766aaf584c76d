"""GET /api/v1/projects/<slug>/interop/labelstudio-config.xml and …/interop/doccano-labels.json: the files
that set up a Label Studio or doccano project to match this project's schema, so that our exports go in
without hand work (annotate.interop.tool_configs). Anyone with a role in the project may read them."""

import json

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

from annotate.interop.tool_configs import doccano_labels, labelstudio_config
from annotate.permissions import project_for


class DoccanoLabel(serializers.Serializer):
    text = serializers.CharField()
    suffix_key = serializers.CharField(allow_null=True)
    background_color = serializers.CharField()
    text_color = serializers.CharField()


def _download(body: str, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class LabelStudioConfigView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={(200, "application/xml"): OpenApiResponse(
        OpenApiTypes.STR, description="A Label Studio labeling config (XML): the project's entity and boilerplate "
                                      "labels on $text")})
    def get(self, request, slug):
        project, _access = project_for(request.user, slug, "view")
        return _download(labelstudio_config(project), "application/xml; charset=utf-8",
                         f"{project.slug}-labelstudio-config.xml")


class DoccanoLabelsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: OpenApiResponse(DoccanoLabel(many=True), description="doccano's label file "
                                                   "(its span labels), for its Labels page")})
    def get(self, request, slug):
        project, _access = project_for(request.user, slug, "view")
        body = json.dumps(doccano_labels(project), ensure_ascii=False, indent=2) + "\n"
        return _download(body, "application/json; charset=utf-8", f"{project.slug}-doccano-labels.json")
