"""The Django admin of the annotate app: projects and schemas (projects.py), tasks (annotators' tasks and
gold sets) and their annotations; the suggesters' memory; the models trained here; dataset releases. Each module registers its models."""

from annotate.admin import projects, releases, suggestions, tasks, training  # noqa: F401
