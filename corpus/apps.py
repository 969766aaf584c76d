from django.apps import AppConfig


class CorpusConfig(AppConfig):
    name = "corpus"
    verbose_name = "Corpus"

    def ready(self):
        from . import jobs  # noqa: F401  (registers the documents.import job kind)
        from .sqlite_functions import connect

        connect()
