"""Export of annotations: records streamed from the database, written by one writer per format.

    stream = export_stream(project=project, options=options, report=report)

Formats live in WRITERS; an unknown name is an ExportParameterError that lists the valid ones."""

from collections.abc import Iterator

from django.core.exceptions import ValidationError

from .base import ExportReport, Writer
from .conll import ConllWriter
from .jsonl import JsonlWriter
from .options import ExportOptions, ExportParameterError
from .others import DoccanoWriter, LabelStudioWriter
from .records import export_counts, export_records
from .spacy_docbin import SpacyWriter

WRITERS: dict[str, type[Writer]] = {
    "jsonl": JsonlWriter,
    "conll": ConllWriter,
    "doccano": DoccanoWriter,
    "labelstudio": LabelStudioWriter,
    "spacy": SpacyWriter,
}


def get_writer(name: str, options: ExportOptions, report: ExportReport) -> Writer:
    if name not in WRITERS:
        raise ExportParameterError(f"format={name!r} is not one of: {', '.join(WRITERS)}")
    return WRITERS[name](options, report)


def export_check(*, project, options: ExportOptions, user=None) -> None:
    """Refuse, before the first byte is sent, a selection that names collections outside the project or
    (for a person) collections they may not read."""
    try:
        options.selection().validate(project, user)
    except ValidationError as error:
        raise ExportParameterError(" ".join(error.messages)) from None


def export_stream(*, project, options: ExportOptions, report: ExportReport) -> Iterator[str]:
    writer = get_writer(options.format, options, report)
    yield writer.header()
    for record in export_records(project, options):
        yield writer.write(record)
    yield writer.footer()


def export_dry_run(*, project, options: ExportOptions) -> ExportReport:
    """The export's report, from writing it all to nowhere (what alignment expands or drops is known
    only by writing every document)."""
    report = ExportReport()
    for _piece in export_stream(project=project, options=options, report=report):
        pass
    return report


__all__ = [
    "WRITERS",
    "ExportOptions",
    "ExportParameterError",
    "ExportReport",
    "export_check",
    "export_counts",
    "export_dry_run",
    "export_stream",
    "get_writer",
]
