"""python manage.py export PROJECT --format jsonl|conll [-o FILE] [--report FILE] [options as in the API]"""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from annotate.interop.export import WRITERS, ExportParameterError, export_options, export_stream, get_writer
from annotate.models import Project

PARAMETERS = ["source", "collection", "language", "status", "published_from", "published_to", "labels", "split",
              "offsets", "scheme", "suffix", "misaligned", "flavour"]
FLAGS = ["events", "boilerplate", "exclude_boilerplate"]


class Command(BaseCommand):
    help = "Export a project's annotations (streamed; the options are the API's query parameters)."

    def add_arguments(self, parser):
        parser.add_argument("project")
        parser.add_argument("--format", default="jsonl", help=f"one of {', '.join(WRITERS)}")
        parser.add_argument("-o", "--output", help="file to write (default: standard output)")
        parser.add_argument("--report", help="write the export report (JSON) to this file")
        for name in PARAMETERS:
            parser.add_argument(f"--{name.replace('_', '-')}", dest=name)
        for name in FLAGS:
            parser.add_argument(f"--{name.replace('_', '-')}", dest=name, action="store_true")
        parser.add_argument("--labeling-config", help="Label Studio: the target project's labeling config (an XML "
                                                      "file); the tasks fit it, and a label it lacks is refused")

    def handle(self, *args, **opts):
        project = Project.objects.filter(slug=opts["project"]).first()
        if project is None:
            raise CommandError(f"No project {opts['project']!r}.")
        params = {name: opts[name] for name in PARAMETERS if opts.get(name)}
        params.update({name: "1" for name in FLAGS if opts.get(name)})
        params["format"] = opts["format"]
        if opts["labeling_config"]:
            try:
                with open(opts["labeling_config"], encoding="utf-8") as f:
                    params["labeling_config"] = f.read()
            except (OSError, ValueError) as error:
                raise CommandError(f"{opts['labeling_config']}: {error}") from None
        try:
            options = export_options(project=project, params=params)
        except ExportParameterError as error:
            raise CommandError(str(error)) from None
        writer = get_writer(options.format, options)
        report, binary = writer.report, writer.binary
        if opts["output"]:
            path = opts["output"]
            out = open(path, "wb") if binary else open(path, "w", encoding="utf-8", newline="\n")  # noqa: SIM115
        else:
            out = sys.stdout.buffer if binary else sys.stdout
        try:
            for piece in export_stream(project=project, writer=writer):
                out.write(piece)
        finally:
            if out not in (sys.stdout, sys.stdout.buffer):
                out.close()
        if opts["report"]:
            with open(opts["report"], "w", encoding="utf-8") as f:
                json.dump(report.as_dict(), f, ensure_ascii=False, indent=2)
        self.stderr.write(f"Exported {report.records} annotation sets of {len(report.documents)} documents; "
                          f"{report.misaligned_count} misaligned spans, {report.nested_left_out} nested left out.")
        if report.doccano_overlapping_dropped:
            self.stderr.write(f"A doccano project with \"Allow overlapping spans\" off would drop "
                              f"{report.doccano_overlapping_dropped} of the spans (nested or overlapping): turn it on "
                              "in the project's settings before importing.")
