"""The Django admin of the annotate app: projects, schemas, tasks (annotators' tasks and gold sets) and
their annotations (projects.py); the suggesters' memory (suggestions.py)."""

from annotate.admin import projects, suggestions  # noqa: F401 -- each registers its models
