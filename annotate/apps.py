from django.apps import AppConfig


class AnnotateConfig(AppConfig):
    name = "annotate"
    verbose_name = "Annotation"

    def ready(self):
        from annotate import jobs  # noqa: F401  (job kinds, and which jobs managers see)
        from annotate.releases import jobs as release_jobs  # noqa: F401  (releases.build)
        from annotate.schema_cache import connect
        from annotate.training import jobs as training_jobs  # noqa: F401  (models.train)
        from annotate.training import predicting  # noqa: F401  (models.predict)

        connect()
