"""models.predict: a trained version's predictions for every document of the project without gold, and for
the test split's (where the Models page scores it), stored as the model's sets through the predictions
import (token edges checked, the model's user an annotator of the project), so that the annotation page
suggests them; with each document's uncertainty for a queue that puts the most uncertain first. Batch by
batch: a cancelled job keeps the batches it stored (each whole), and a job started again resumes."""

import io
import json
from collections import Counter

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_noop

from annotate.interop.importing.files import annotation_file_import
from annotate.models import DocumentUncertainty, Task, TrainedModel, TrainingState
from corpus.models import Document, DocumentTokens
from corpus.tokens import unpack_indexes, unpack_tokens
from jobs.registry import JobCancelled, JobError, job_kind

from .archive import archive_opened
from .arguments import arguments_predict
from .data import Sample
from .jobs import max_counts, niced, trained_for
from .pipeline import run_pipeline
from .services import model_use
from .splits import split_of
from .uncertainty import beam_twins, uncertainty

PREDICT_BATCH = 200


def _samples(batch: list[int]) -> list[Sample]:
    documents = {pk: (text, language) for pk, text, language in
                 Document.objects.filter(pk__in=batch).values_list("pk", "text", "language")}
    return [Sample(pk, *documents[pk], unpack_tokens(tokens), unpack_indexes(sentences))
            for pk, tokens, sentences in DocumentTokens.objects.filter(document_id__in=batch)
            .order_by("document_id").values_list("document_id", "tokens", "sentences")]


def documents_to_predict(trained: TrainedModel) -> list[int]:
    """The project's documents without accepted gold, and the test split's gold documents (the Models page
    scores a model there), less those this version has a set for already (a job started again resumes)."""
    project = trained.project
    gold = set(Task.gold_sets.filter(project=project, status="submitted").values_list("document_id", flat=True))
    done = set(Task.objects.filter(project=project, annotator__username=f"model:{trained.version}")
               .values_list("document_id", flat=True))
    ids = Document.objects.filter(collection_id__in=project.collections.values("id")).values_list("id", flat=True)
    return [pk for pk in ids.order_by("id").iterator(chunk_size=5000)
            if pk not in done and (pk not in gold or split_of(pk) == "test")]


def _record(sample: Sample, marks: dict, table: dict, limits: dict) -> dict:
    entities = [{"id": f"e{i}", "start": s, "end": e, "label": label} for i, (label, s, e) in enumerate(marks["ner"])]
    roles: dict[int, list] = {}
    for t, role, e in arguments_predict(sample, marks["triggers"], marks["ner"], table, limits):
        roles.setdefault(t, []).append({"role": role, "entity_id": f"e{e}"})
    return {"text": sample.text, "entities": entities,
            "boilerplate": [{"start": s, "end": e, "label": label} for label, s, e in marks["boilerplate"]],
            "events": [{"type": label, "trigger": {"start": s, "end": e}, "arguments": roles.get(t, [])}
                       for t, (label, s, e) in enumerate(marks["triggers"])]}


@job_kind("models.predict", result_template="annotate/_training.html#predicted", unit=gettext_noop("documents"), cancellable=True)
def model_predict_job(job, progress) -> dict:
    trained = trained_for(job, TrainingState.READY)
    project, version = trained.project, trained.version
    pending = documents_to_predict(trained)
    progress.set_total(len(pending))
    stored, problems, limits = 0, Counter(), max_counts(project)
    with archive_opened(trained.path) as (nlp, table):
        twins = beam_twins(nlp)
        for first in range(0, len(pending), PREDICT_BATCH):
            if progress.cancelled:
                raise JobCancelled
            batch = pending[first:first + PREDICT_BATCH]
            samples = _samples(batch)
            predicted, unsure = niced(lambda s=samples: (list(run_pipeline(nlp, s)), uncertainty(
                nlp, twins, [x.layout()[:2] for x in s])))
            lines = [json.dumps(_record(sample, marks, table, limits), ensure_ascii=False)
                     for sample, marks in predicted]
            try:
                report = annotation_file_import(project=project, stream=io.BytesIO("\n".join(lines).encode()),
                                                name=f"{version} predictions", fmt="jsonl", as_predictions=version,
                                                by=job.owner, skip_invalid=True)
            except (ValidationError, PermissionDenied) as error:
                raise JobError(" ".join(getattr(error, "messages", [str(error)]))) from None
            DocumentUncertainty.objects.bulk_create(  # read by the queue while this version is in use
                [DocumentUncertainty(project=project, document_id=sample.document_id, model=version, score=score)
                 for sample, score in zip(samples, unsure, strict=True)],
                update_conflicts=True, unique_fields=["project", "document", "model"], update_fields=["score"])
            stored += report.imported
            problems.update(problem.split(": ", 2)[-1][:120] for problem in report.problems)
            progress.advance(len(batch))
    project.refresh_from_db()
    if not project.model_pinned:
        model_use(project=project, version=version, pinned=False)
    return {"model": version, "documents": len(pending), "stored": stored,
            "problems": [f"{count} × {text}" for text, count in problems.most_common(10)],
            "in_use": project.model_in_use or "every model"}
