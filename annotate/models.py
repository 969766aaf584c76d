"""Projects turn collections into annotation work (schemas, roles and tasks come with issue [2/6])."""

from django.conf import settings
from django.db import models


class Project(models.Model):
    slug = models.SlugField(max_length=100, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    guidelines = models.TextField(blank=True, help_text="Markdown")
    collections = models.ManyToManyField("corpus.Collection", related_name="projects", blank=True)
    overlap = models.PositiveSmallIntegerField(default=2, help_text="Annotators per document")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name
