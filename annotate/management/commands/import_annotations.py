"""python manage.py import_annotations PROJECT FILE --format jsonl (--as USER | --as-predictions MODEL:VERSION)
[--collection SLUG] [--create-labels] [--skip-invalid]"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from annotate.models import Project
from annotate.services.annotation_import import annotations_import, predictions_user, read_jsonl
from annotate.services.conll_import import conll_import, read_conll
from annotate.services.foreign_formats import doccano_lines, labelstudio_lines
from corpus.models import Collection
from corpus.services import collection_create

FORMATS = ["jsonl", "conll", "doccano", "labelstudio"]


class Command(BaseCommand):
    help = "Import annotation sets (counted as submitted) from our JSONL, CoNLL, doccano or Label Studio."

    def add_arguments(self, parser):
        parser.add_argument("project")
        parser.add_argument("file")
        parser.add_argument("--format", default="jsonl", help=f"one of {', '.join(FORMATS)}")
        who = parser.add_mutually_exclusive_group(required=True)
        who.add_argument("--as", dest="as_user", help="the annotator the sets belong to")
        who.add_argument("--as-predictions", help="MODEL:VERSION; the sets belong to a user standing for the model")
        parser.add_argument("--collection", help="where documents not in the project yet are created")
        parser.add_argument("--create-labels", action="store_true")
        parser.add_argument("--skip-invalid", action="store_true")
        parser.add_argument("--sentences-per-document", type=int, default=1,
                            help="CoNLL without -DOCSTART-: how many sentences make a document (default 1)")
        parser.add_argument("--language", default="tr", help="CoNLL: the documents' language (default tr)")

    def handle(self, *args, **opts):
        if opts["format"] not in FORMATS:
            raise CommandError(f"--format {opts['format']!r} is not one of: {', '.join(FORMATS)}")
        project = Project.objects.filter(slug=opts["project"]).first()
        if project is None:
            raise CommandError(f"No project {opts['project']!r}.")
        if opts["as_user"]:
            user = get_user_model().objects.filter(username=opts["as_user"]).first()
            if user is None:
                raise CommandError(f"No user {opts['as_user']!r}.")
        else:
            user = predictions_user(opts["as_predictions"])
        collection = None
        if opts["collection"]:
            collection = Collection.objects.filter(slug=opts["collection"]).first() or collection_create(
                slug=opts["collection"])
        try:
            with open(opts["file"], "rb") as f:
                if opts["format"] in ("jsonl", "doccano", "labelstudio"):
                    boilerplate = set(project.labels.filter(layer="boilerplate").values_list("name", flat=True))
                    reader = {"jsonl": lambda s: read_jsonl(s), "doccano": lambda s: doccano_lines(s, boilerplate),
                              "labelstudio": lambda s: labelstudio_lines(s, boilerplate)}[opts["format"]]
                    report = annotations_import(project=project, lines=reader(f), user=user,
                                                collection=collection, create_labels=opts["create_labels"],
                                                skip_invalid=opts["skip_invalid"])
                else:
                    if collection is None:
                        raise CommandError("A CoNLL import makes its documents from the file: name --collection.")
                    documents, problems = read_conll(f, max(1, opts["sentences_per_document"]))
                    report = conll_import(project=project, documents=documents, read_problems=problems, user=user,
                                          collection=collection, language=opts["language"],
                                          create_labels=opts["create_labels"], skip_invalid=opts["skip_invalid"])
        except OSError as error:
            raise CommandError(f"{opts['file']}: {error.strerror}") from None
        for problem in report.problems:
            self.stderr.write(f"  {problem}")
        if not report.committed:
            raise CommandError(report.summary())
        self.stdout.write(self.style.SUCCESS(report.summary()))
