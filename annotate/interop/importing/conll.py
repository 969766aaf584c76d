"""CoNLL files in (read by formats.conll): a document's text is its tokens joined by single spaces and its
sentences by line breaks, and the file's tokens and sentences become the document's own.

A text the file repeats (a sentence that occurs twice, one sentence per document) is reported with both
line numbers: with keep_repeats each copy is a document of its own (Document.repeat), so that the file
goes through import and export sentence for sentence; without it, a copy whose tags are the first copy's
is kept once (a note), and one with other tags is a problem, since its annotations would be lost."""

from collections import Counter

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from annotate.interop.formats.conll import ConllDocument
from annotate.interop.importing.sets import AnnotationImportReport, task_history_imported
from annotate.models import Label, Layer, Span, Task, TaskStatus, TaskTransition
from annotate.services.progress import counters_add
from annotate.services.schema import imported_label_problem, label_create_imported
from corpus.graphemes import boundaries
from corpus.pipeline import too_long
from corpus.services import TokenizedText, documents_create_tokenized
from corpus.services.analyze import tables_analyze
from corpus.text import text_sha256


def _layout(doc: ConllDocument) -> tuple[str, list[tuple[int, int]], list[int]]:
    """The document's text, its tokens' offsets and its sentences' first token indexes."""
    tokens, sentences, parts, position = [], [], [], 0
    for s_index, sentence in enumerate(doc.sentences):
        if s_index:
            parts.append("\n")
            position += 1
        sentences.append(len(tokens))
        for t_index, (token, _tag, _n) in enumerate(sentence):
            if t_index:
                parts.append(" ")
                position += 1
            tokens.append((position, position + len(token)))
            parts.append(token)
            position += len(token)
    return "".join(parts), tokens, sentences


def _line(number) -> str:
    return _("line %(line)s") % {"line": number}


def _split_clusters(doc: ConllDocument, text: str, tokens, problems: list[str]) -> None:
    """A token that begins with a mark joining what precedes it (a lone combining mark, a joiner) would
    share a character with the space before it: no edge may fall inside a character."""
    edges = boundaries(text)
    if edges is None:
        return
    flat = [t for sentence in doc.sentences for t in sentence]
    for (start, end), (token, _tag, number) in zip(tokens, flat, strict=True):
        if start not in edges or end not in edges:
            problems.append(f"{_line(number)}: " + _(
                "the token %(token)r begins or ends inside a character (a combining mark or joiner on its own joins "
                "the space before it)") % {"token": token})


def _spans(doc: ConllDocument, offsets: list[tuple[int, int]], problems: list[str]) -> list[tuple[str, int, int]]:
    spans, open_span = [], None
    flat = [t for sentence in doc.sentences for t in sentence]
    for i, (_token, tag, number) in enumerate(flat):
        if tag == "O":
            open_span = None
            continue
        prefix, _dash, name = tag.partition("-")
        if prefix not in ("B", "I") or not name:
            problems.append(f"{_line(number)}: " + _("tag %(tag)r is not O, B-X or I-X") % {"tag": tag})
            open_span = None
            continue
        if prefix == "I":
            if open_span is None or open_span[0] != name:
                problems.append(f"{_line(number)}: " + _("%(tag)s does not continue a %(name)s (IOB2 needs "
                                                         "B-%(name)s first)") % {"tag": tag, "name": name})
                open_span = None
                continue
            open_span[2] = offsets[i][1]
            continue
        open_span = [name, offsets[i][0], offsets[i][1]]
        spans.append(open_span)
    return [tuple(s) for s in spans]


@transaction.atomic
def conll_import(*, project, records, user, collection, by=None, source: str = "", language: str = "tr",
                 create_labels: bool = False, skip_invalid: bool = False,
                 keep_repeats: bool = False, progress=None) -> AnnotationImportReport:
    """`records` as the CoNLL reader gives them: (line, ConllDocument) or (line, problem); `progress(1)`
    hears of each document read."""
    report = AnnotationImportReport(problems=[r for _n, r in records if isinstance(r, str)])
    labels = {lab.name: lab for lab in Label.objects.filter(project=project, layer=Layer.ENTITY, retired=False)}
    prepared, first_copy = [], {}  # text hash -> (line, spans) of its first copy in the file
    copies = Counter()
    for _number, doc in records:
        if isinstance(doc, str):
            continue
        if progress is not None:
            progress(1)
        problems: list[str] = []
        text, tokens, sentences = _layout(doc)
        if len(text) > settings.CORPUS_MAX_DOCUMENT_CHARS:
            report.problems.append(f"{_line(doc.line)}: {too_long(len(text), settings.CORPUS_MAX_DOCUMENT_CHARS)}")
            continue
        spans = _spans(doc, tokens, problems)
        _split_clusters(doc, text, tokens, problems)
        for name in sorted({s[0] for s in spans} - set(labels)):
            if not create_labels:
                problems.append(f"{_line(doc.line)}: " + _("unknown entity label %(name)r (--create-labels, or create_labels=true in the API, adds it)")
                                % {"name": name})
            elif problem := imported_label_problem(name):
                problems.append(f"{_line(doc.line)}: " + _("a new label's %(problem)s") % {"problem": problem})
        sha = text_sha256(text)
        repeat = copies[sha]
        copies[sha] += 1
        if repeat and not keep_repeats:
            line, first_spans = first_copy[sha]
            if first_spans == spans:
                report.notes.append(f"{_line(doc.line)}: " + _(
                    "the same text and tags as line %(line)s, kept once (keep repeats to import each copy as a "
                    "document of its own)") % {"line": line})
                report.skipped += 1
            else:
                problems.append(f"{_line(doc.line)}: " + _(
                    "the same text as line %(line)s with other tags, whose annotations would be lost: keep repeats "
                    "to import each copy as a document of its own") % {"line": line})
            report.problems.extend(problems)
            continue
        first_copy.setdefault(sha, (doc.line, spans))
        if repeat:
            report.notes.append(f"{_line(doc.line)}: " + _("the same text as line %(line)s, kept as copy %(copy)s")
                                % {"line": first_copy[sha][0], "copy": repeat + 1})
        report.problems.extend(problems)
        if not problems:
            prepared.append((TokenizedText(text, tokens, sentences, f"conll:{doc.line}", language, repeat), spans))
    if report.problems and not skip_invalid:
        report.committed = False
        return report
    for name in sorted({s[0] for _item, spans in prepared for s in spans} - set(labels)):
        labels[name] = label_create_imported(project=project, name=name, position=len(labels))
        report.labels_created.append(name)
    project.collections.add(collection)
    by_key, report.documents_created = documents_create_tokenized(
        collection=collection, items=[item for item, _spans in prepared]
    )
    taken = set(Task.objects.filter(project=project, annotator=user, document__in=by_key.values()).values_list(
        "document_id", flat=True))
    now, tasks, pending = timezone.now(), [], []
    for item, spans in prepared:
        document = by_key[(text_sha256(item.text), item.repeat)]
        if document.pk in taken:
            report.skipped += 1
            continue
        taken.add(document.pk)
        tasks.append(Task(project=project, document=document, collection=collection, annotator=user, assigned_at=now,
                          started_at=now, finished_at=now, status=TaskStatus.SUBMITTED))
        pending.append(spans)
    Task.objects.bulk_create(tasks, batch_size=1000)
    TaskTransition.objects.bulk_create([task_history_imported(task, "", by, source, now) for task in tasks],
                                       batch_size=1000)
    Span.objects.bulk_create(
        [Span(task=task, label=labels[name], start=start, end=end)
         for task, spans in zip(tasks, pending, strict=True) for name, start, end in spans],
        batch_size=2000,
    )
    counters_add(project.pk, Counter({(user.pk, collection.pk, TaskStatus.SUBMITTED): len(tasks)}))
    report.imported = len(tasks)
    tables_analyze(Task, TaskTransition, Span, written=len(tasks) * 10)
    return report
