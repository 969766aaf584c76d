import os
import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from corpus.formats import AUTO, FORMATS, UnknownFormatError
from corpus.formats.sources import inputs_from_paths
from corpus.models import Collection
from corpus.services import collection_create, documents_import


class Command(BaseCommand):
    help = "Import articles (seed files, JSON Lines, plain text, directories or zips of those) into a collection."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="files, directories or .zip archives")
        parser.add_argument("--collection", required=True, help="slug of the collection")
        parser.add_argument(
            "--create", action="store_true", help="create the collection when it does not exist"
        )
        parser.add_argument("--name", default="", help="name of a collection made with --create")
        parser.add_argument(
            "--language", help="language code for every document (default: detect per document)"
        )
        parser.add_argument(
            "--format", default=AUTO, choices=[AUTO, *FORMATS], help="input format (default: auto)"
        )
        parser.add_argument("--encoding", help="the files' encoding (default: UTF-8)")
        parser.add_argument(
            "--skip-invalid", action="store_true", help="import the good documents, report the rest"
        )
        parser.add_argument(
            "--max-file-bytes",
            type=int,
            default=0,
            help="the largest file (or zip entry) to read; 0, the default: no limit (the files are local; "
            "JSON Lines are streamed, other formats are read whole). Uploads keep CORPUS_MAX_FILE_BYTES",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=min(4, os.cpu_count() or 1),
            help="processes that tokenize and detect languages in parallel (default: the number of cores, up to 4)",
        )

    def handle(self, *paths, **opts):
        with transaction.atomic():
            collection = Collection.objects.filter(slug=opts["collection"]).first()
            if collection is None:
                if not opts["create"]:
                    raise CommandError(f"no collection {opts['collection']!r}; add --create to make it")
                collection = collection_create(slug=opts["collection"], name=opts["name"])
            bar = tqdm(desc="Importing", unit=" articles", disable=opts["verbosity"] == 0, file=sys.stderr)
            try:
                report = documents_import(
                    collection=collection,
                    inputs=inputs_from_paths(opts["paths"]),
                    fmt=opts["format"],
                    language=opts["language"],
                    encoding=opts["encoding"],
                    skip_invalid=opts["skip_invalid"],
                    workers=opts["workers"],
                    progress=bar.update,
                    max_file_bytes=opts["max_file_bytes"] or sys.maxsize,
                )
            except (UnknownFormatError, ValueError) as exc:
                raise CommandError(str(exc)) from exc
            finally:
                bar.close()
            if not report.committed:
                transaction.set_rollback(True)
        for problem in report.rejected:
            self.stderr.write(f"rejected: {problem}")
        style = self.style.SUCCESS if report.committed else self.style.ERROR
        self.stdout.write(style(report.summary()))
        if not report.committed:
            raise CommandError("import failed: nothing was written", returncode=1)
