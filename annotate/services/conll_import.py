"""CoNLL files in: a token per line (the first column), the tag in the last column, IOB2; a blank line
between sentences, `-DOCSTART-` between documents (without it, every sentence is a document, or
sentences_per_document of them). A document's text is its tokens joined by single spaces and its
sentences by line breaks, and the file's tokens and sentences become the document's own."""

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from annotate.models import Label, Layer, Span, Task, TaskStatus, TaskTransition
from corpus.services import TokenizedText, documents_create_tokenized
from corpus.text import text_sha256

from .annotation_import import AnnotationImportReport, decode_line, task_history_imported
from .progress import counters_add
from .schema import imported_label_problem, label_create_imported

COLUMN_SEPARATOR = re.compile(r"[ \t]+")


@dataclass
class ConllDocument:
    line: int
    sentences: list[list[tuple[str, str, int]]] = field(default_factory=list)  # (token, tag, line number)


def read_conll(stream, sentences_per_document: int = 1) -> tuple[list[ConllDocument], list[str]]:
    documents, problems, sentence = [], [], []
    explicit = False
    current = ConllDocument(1)

    def close_sentence():
        nonlocal sentence, current
        if sentence:
            current.sentences.append(sentence)
            sentence = []
            if not explicit and len(current.sentences) >= sentences_per_document:
                documents.append(current)
                current = ConllDocument(0)

    for number, raw in enumerate(stream, 1):
        try:
            line = decode_line(raw, number).rstrip("\n").rstrip("\r")
        except ValueError as error:
            problems.append(f"line {number}: {error}")
            continue
        if "\x00" in line:
            problems.append(f"line {number}: it contains a NUL character (a binary file?)")
            continue
        if line.startswith("-DOCSTART-"):
            close_sentence()
            explicit = True
            if current.sentences:
                documents.append(current)
            current = ConllDocument(number)
            continue
        if not line.strip(" \t"):
            close_sentence()
            continue
        # Columns are separated by spaces and tabs only: a no-break space or a line separator inside a
        # token ("10\u00a0000") belongs to the token.
        columns = COLUMN_SEPARATOR.split(line.strip(" \t"))
        if len(columns) < 2:
            problems.append(f"line {number}: a token and a tag are needed, found {line!r}")
            continue
        if not current.line:
            current.line = number
        # The text contract: the document's text is NFC, like every import's.
        sentence.append((unicodedata.normalize("NFC", columns[0]), columns[-1], number))
    close_sentence()
    if current.sentences:
        documents.append(current)
    return documents, problems


def _spans(doc: ConllDocument, offsets: list[tuple[int, int]], problems: list[str]) -> list[tuple[str, int, int]]:
    spans, open_span = [], None
    flat = [t for sentence in doc.sentences for t in sentence]
    for i, (_token, tag, number) in enumerate(flat):
        if tag == "O":
            open_span = None
            continue
        prefix, _, name = tag.partition("-")
        if prefix not in ("B", "I") or not name:
            problems.append(f"line {number}: tag {tag!r} is not O, B-X or I-X")
            open_span = None
            continue
        if prefix == "I":
            if open_span is None or open_span[0] != name:
                problems.append(f"line {number}: {tag} does not continue a {name} (IOB2 needs B-{name} first)")
                open_span = None
                continue
            open_span[2] = offsets[i][1]
            continue
        open_span = [name, offsets[i][0], offsets[i][1]]
        spans.append(open_span)
    return [tuple(s) for s in spans]


@transaction.atomic
def conll_import(*, project, documents: list[ConllDocument], read_problems: list[str], user, collection, by=None,
                 source: str = "", language: str = "tr", create_labels: bool = False,
                 skip_invalid: bool = False) -> AnnotationImportReport:
    report = AnnotationImportReport(problems=list(read_problems))
    labels = {lab.name: lab for lab in Label.objects.filter(project=project, layer=Layer.ENTITY, retired=False)}
    prepared = []
    for doc in documents:
        problems: list[str] = []
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
        text = "".join(parts)
        spans = _spans(doc, tokens, problems)
        for name in sorted({s[0] for s in spans} - set(labels)):
            if not create_labels:
                problems.append(f"line {doc.line}: unknown entity label {name!r} (--create-labels adds it)")
            elif problem := imported_label_problem(name):
                problems.append(f"line {doc.line}: a new label's {problem}")
        report.problems.extend(problems)
        if not problems:
            prepared.append((TokenizedText(text, tokens, sentences, f"conll:{doc.line}", language), spans))
    if report.problems and not skip_invalid:
        report.committed = False
        return report
    for name in sorted({s[0] for _item, spans in prepared for s in spans} - set(labels)):
        labels[name] = label_create_imported(project=project, name=name, position=len(labels))
        report.labels_created.append(name)
    project.collections.add(collection)
    by_sha, report.documents_created = documents_create_tokenized(
        collection=collection, items=[item for item, _spans in prepared]
    )
    taken = set(Task.objects.filter(project=project, annotator=user, document__in=by_sha.values()).values_list(
        "document_id", flat=True))
    now, tasks, pending = timezone.now(), [], []
    for item, spans in prepared:
        document = by_sha[text_sha256(item.text)]
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
    return report
