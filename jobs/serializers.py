from django.urls import reverse
from rest_framework import serializers

from .models import Job


class JobSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="Poll this until `state` is succeeded, failed or cancelled")
    page = serializers.SerializerMethodField(help_text="The job's page in the browser")
    owner = serializers.SlugRelatedField(slug_field="username", read_only=True)
    percent = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = Job
        fields = ["id", "url", "page", "kind", "label", "owner", "project_id", "state", "done", "total", "unit",
                  "percent", "result", "error", "cancel_requested", "created_at", "started_at", "finished_at"]
        read_only_fields = fields

    def get_url(self, job) -> str:
        return self.context["request"].build_absolute_uri(reverse("jobs-api:job", args=[job.pk]))

    def get_page(self, job) -> str:
        return self.context["request"].build_absolute_uri(job.get_absolute_url())


def accepted(request, job) -> dict:
    """The body of a 202: the job as it stands, with the URL to poll."""
    return JobSerializer(job, context={"request": request}).data
