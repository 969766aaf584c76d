"""python manage.py import_annotations PROJECT FILE --format jsonl (--as USER | --as-predictions MODEL:VERSION)
[--collection SLUG] [--create-labels] [--skip-invalid]; a Label Studio file: [--annotator-map map.json]
[--text-field NAME]"""

import io
import zipfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from annotate.interop.importing.authors import annotator_map_read
from annotate.interop.importing.files import FORMATS, annotation_file_import
from annotate.interop.units import OFFSET_UNITS
from annotate.models import Project


def _opened(path: str):
    """The file, or for a directory (brat's .txt and .ann pairs) a zip of its files made in memory."""
    folder = Path(path)
    if not folder.is_dir():
        return open(path, "rb")  # closed by the caller's with
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(folder.rglob("*")):
            if file.is_file() and file.suffix in (".txt", ".ann", ".conf"):
                archive.write(file, file.relative_to(folder).as_posix())
    buffer.seek(0)
    return buffer


class Command(BaseCommand):
    help = "Import annotation sets (counted as submitted) from our JSONL, CoNLL, doccano or Label Studio."

    def add_arguments(self, parser):
        parser.add_argument("project")
        parser.add_argument("file", help="the file (brat: a zip of .txt and .ann pairs, or a directory of them)")
        parser.add_argument("--format", default="jsonl", help=f"one of {', '.join(FORMATS)}")
        who = parser.add_mutually_exclusive_group()
        who.add_argument("--as", dest="as_user", help="the annotator the sets belong to (Label Studio: those "
                                                      "whose author is not matched by e-mail or the map)")
        who.add_argument("--as-predictions", help="MODEL:VERSION; the sets belong to a user standing for the model")
        parser.add_argument("--collection", help="where documents not in the project yet are created")
        parser.add_argument("--attach-collection", action="store_true",
                            help="allow --collection to be one that is not the project's yet: it becomes one")
        parser.add_argument("--create-labels", action="store_true")
        parser.add_argument("--skip-invalid", action="store_true")
        parser.add_argument("--sentences-per-document", type=int, default=1,
                            help="CoNLL without -DOCSTART-: how many sentences make a document (default 1)")
        parser.add_argument("--keep-repeats", action="store_true",
                            help="CoNLL: a text the file repeats is a document of its own each time, so that "
                                 "the file is imported sentence for sentence")
        parser.add_argument("--language", default="tr", help="CoNLL: the documents' language (default tr)")
        parser.add_argument("--offsets", default="", choices=["", *OFFSET_UNITS],
                            help="doccano, Label Studio: the file's offset unit (default: the tool's own, "
                                 "utf16 for doccano, codepoints for Label Studio; graphemes for doccano's "
                                 "grapheme mode)")
        parser.add_argument("--annotator-map", help="Label Studio: a JSON file mapping each annotation's author "
                                                    '(completed_by id or e-mail) to a username, {"17": "ayse"}')
        parser.add_argument("--text-field", default="", help="Label Studio: the field of `data` that holds the text "
                                                             "(default: text, or the one string field)")

    def handle(self, *args, **opts):
        project = Project.objects.filter(slug=opts["project"]).first()
        if project is None:
            raise CommandError(f"No project {opts['project']!r}.")
        annotator_map = None
        if opts["annotator_map"]:
            try:
                annotator_map = annotator_map_read(Path(opts["annotator_map"]).read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError) as error:
                raise CommandError(f"{opts['annotator_map']}: not a readable file ({error})") from None
            except ValidationError as error:
                raise CommandError(f"{opts['annotator_map']}: {' '.join(error.messages)}") from None
        try:
            with _opened(opts["file"]) as f:
                report = annotation_file_import(
                    project=project, stream=f, name=Path(opts["file"]).name, fmt=opts["format"], user=opts["as_user"] or None,
                    as_predictions=opts["as_predictions"] or "", collection=opts["collection"] or "",
                    create_labels=opts["create_labels"], skip_invalid=opts["skip_invalid"],
                    sentences_per_document=opts["sentences_per_document"], language=opts["language"],
                    offsets=opts["offsets"], keep_repeats=opts["keep_repeats"],
                    attach_collection=opts["attach_collection"], annotator_map=annotator_map,
                    text_field=opts["text_field"],
                )
        except OSError as error:
            raise CommandError(f"{opts['file']}: {error.strerror}") from None
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        for note in report.notes:
            self.stdout.write(f"  {note}")
        for problem in report.problems:
            self.stderr.write(f"  {problem}")
        if not report.committed:
            raise CommandError(report.summary())
        self.stdout.write(self.style.SUCCESS(report.summary()))
