"""python manage.py retokenize [--dry-run]: documents tokenized by an older tokenizer get the current one's
tokens, and every annotation whose place in the tokens changes is listed (there should be none)."""

import sys

from django.core.management.base import BaseCommand
from tqdm import tqdm

from annotate.models import Event, Span
from corpus.graphemes import edge_problem
from corpus.services import documents_retokenize


def _aligned(tokens, start: int, end: int) -> bool:
    return any(a == start for a, _b in tokens) and any(b == end for _a, b in tokens)


class Command(BaseCommand):
    help = "Tokenize again the documents an older tokenizer tokenized; report annotations that would change."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="report only, store nothing")

    def handle(self, *args, **opts):
        findings = []

        def on_change(document_id, text, old, new):
            marks = [("span", s.pk, s.start, s.end) for s in Span.objects.filter(task__document_id=document_id)]
            marks += [("event", e.pk, e.start, e.end) for e in Event.objects.filter(task__document_id=document_id)]
            for kind, pk, start, end in marks:
                if problem := edge_problem(text, start, end):
                    findings.append(f"document {document_id}, {kind} {pk} ({text[start:end]!r}): {problem}")
                elif _aligned(old, start, end) and not _aligned(new, start, end):
                    findings.append(f"document {document_id}, {kind} {pk} ({text[start:end]!r}): its edges were "
                                    "token edges and are not any more (token exports will widen it)")

        bar = tqdm(desc="Tokenizing", unit=" documents", disable=opts["verbosity"] == 0, file=sys.stderr)
        with bar:
            report = documents_retokenize(write=not opts["dry_run"], on_change=on_change, progress=bar.update)
        for finding in findings:
            self.stderr.write(f"  {finding}")
        verb = "would change" if opts["dry_run"] else "changed"
        if opts["verbosity"] or findings:
            self.stdout.write(f"{report.checked} documents checked, tokens {verb} in {report.changed}; "
                              f"{len(findings)} annotations affected.")
