"""An export, from query parameters to the last byte: one entry for the API, the page, the job and the
command.

    options = export_options(project=project, params=request.GET, user=request.user)  # or ExportParameterError
    writer = get_writer(options.format, options)
    for piece in export_stream(project=project, writer=writer): ...

The writers are in annotate.interop.formats (FORMATS); records come from annotate.interop.records."""

from collections.abc import Callable, Iterable, Iterator

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_noop

from annotate.interop.formats import FORMATS, WRITERS, ExportReport, Writer, get_writer
from annotate.interop.options import OPTION_PARAMETERS, ExportOptions, ExportParameterError
from annotate.interop.records import export_counts, export_records
from annotate.interop.tool_configs import brat_conf, missing_labels
from annotate.interop.units import OFFSET_UNITS
from annotate.models import Layer, Span
from config.parameters import unknown_parameters

PARAMETERS = [("format", list(WRITERS), gettext_noop("The file format (default jsonl).")), *OPTION_PARAMETERS]

# Up to this many records the summary also counts what alignment expands or drops (a dry run: ~0.3 s per
# 1,000 records); above, that is in the report only, so that the first byte is not held back.
DRY_RUN_UP_TO = 1_000


def export_parameters_check(names: Iterable[str]) -> None:
    """ExportParameterError naming each parameter the export does not take (config.parameters)."""
    if problem := unknown_parameters(names, [name for name, _values, _help in PARAMETERS]):
        raise ExportParameterError(problem)


def export_options(*, project, params, user=None) -> ExportOptions:
    """The one reading of an export's parameters (query parameters, a job's saved ones, the command's
    options as strings): each value checked against the valid ones, the collections against the project
    and (for a person) what they may read, the format's own offset unit filled in. ExportParameterError
    names what is wrong and the valid values."""
    options = ExportOptions.from_params(params, list(WRITERS))
    try:
        options.selection().validate(project, user)
    except ValidationError as error:
        raise ExportParameterError(" ".join(error.messages)) from None
    fmt = FORMATS[options.format]
    if not options.offsets and fmt.unit in OFFSET_UNITS:
        options.offsets = fmt.unit
    options.tokens = fmt.writer.needs_tokens
    if options.format == "brat":
        options.tool_config = brat_conf(project)
    if options.format == "labelstudio" and options.labeling.labels:
        used = Span.objects.filter(label=OuterRef("pk"))  # the labels the file can hold: those with spans
        names = set(project.labels.filter(layer__in=[Layer.ENTITY, Layer.BOILERPLATE]).filter(Exists(used))
                    .values_list("name", flat=True))
        if missing := missing_labels(options.labeling, names & options.labels if options.labels else names):
            raise ExportParameterError(
                f"labeling_config: the <Labels> control {options.labeling.from_name!r} has no label "
                f"{', '.join(missing)}: Label Studio would take those spans and show them without a label. Add "
                "them to the config, or leave them out with labels=")
    return options


def export_stream(*, project, writer: Writer, progress: Callable[[], None] | None = None) -> Iterator:
    """The writer's header, one piece per record, its footer (str, or bytes for a binary format).

    All of it in one transaction: the export is one snapshot of the database, and on PostgreSQL its cursor
    streams. Outside a transaction Django declares a server-side cursor WITH HOLD, and PostgreSQL computes
    the whole result when the declaring statement commits: 46 ms before the first record at 50,000 tasks
    (and half a second when the rows carried the texts). A client that goes away ends it with a rollback."""
    with transaction.atomic():
        yield writer.header()
        for record in export_records(project, writer.options):
            yield writer.write(record)
            if progress is not None:
                progress()
        yield writer.footer()


def in_chunks(pieces: Iterator, size: int = 64 * 1024) -> Iterator:
    """The pieces joined into chunks of about `size` characters (or bytes): a server sends each chunk it is
    given in a write of its own, and one write a record made a 5,000-document export 5,000 system calls.
    The first piece (the header, or the first record) goes out at once, so the first byte never waits."""
    buffered, length, first = [], 0, True
    for piece in pieces:
        if not piece:  # an empty header is not a first byte
            continue
        buffered.append(piece)
        length += len(piece)
        if first or length >= size:
            yield buffered[0][:0].join(buffered)
            buffered, length, first = [], 0, False
    if buffered:
        yield buffered[0][:0].join(buffered)


def export_dry_run(*, project, options: ExportOptions) -> ExportReport:
    """The export's report, from writing it all to nowhere (what alignment expands or drops is known
    only by writing every document)."""
    writer = get_writer(options.format, options)
    for _piece in export_stream(project=project, writer=writer):
        pass
    return writer.report


def export_summary(*, project, options: ExportOptions) -> dict:
    """What the headers and the page show before the download: the counts, and up to DRY_RUN_UP_TO records
    what alignment expands or drops (None above, where only the report has it)."""
    counts = export_counts(project=project, options=options)
    if counts["records"] <= DRY_RUN_UP_TO:
        return export_dry_run(project=project, options=options).summary()
    return {"entities": None, "misaligned": None, **counts}


__all__ = ["PARAMETERS", "WRITERS", "ExportOptions", "ExportParameterError", "ExportReport", "export_counts",
           "export_dry_run", "export_options", "export_parameters_check", "export_stream", "export_summary", "get_writer", "in_chunks"]
