"""GET /api/v1/me: the account a token or a session belongs to (a script checks its token with it). Also
the trivial authenticated request that bench/request_overhead.py times: its own work is nothing."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView


class MeView(APIView):
    @extend_schema(responses=inline_serializer("Me", {"id": serializers.IntegerField(),
                                                      "username": serializers.CharField(),
                                                      "is_staff": serializers.BooleanField()}))
    def get(self, request):
        user = request.user
        return Response({"id": user.pk, "username": user.get_username(), "is_staff": user.is_staff})
