from django.apps import AppConfig


class AnnotateConfig(AppConfig):
    name = "annotate"
    verbose_name = "Annotation"

    def ready(self):
        from . import jobs  # noqa: F401  (job kinds, and which jobs managers see)
        from .schema_cache import connect

        connect()
