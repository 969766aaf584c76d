"""models.train: gold → a spaCy pipeline, scored on the test split, saved as haber:<project>:<n>, then
models.predict (predicting.py) is queued. It stops part-way when cancelled; the spaCy work runs in a thread
of lower OS priority, so that the worker's other jobs and the web processes go first."""

import contextlib
import os
import queue
import threading

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from annotate.models import EventRole, Label, Layer, TrainedModel, TrainingState
from jobs.registry import JobCancelled, JobError, job_kind

from .archive import USAGE, archive_save
from .arguments import arguments_fit
from .data import Sample, chosen_sets, samples_load
from .pipeline import LAYERS, TrainSettings, language_of, pipeline_build, train
from .scoring import test_scores
from .services import accepted_gold, predictions_enqueue, training_abandon
from .splits import split_of

NICE = 10  # added to the training thread's nice value
COMPONENT_LAYER = {"ner": Layer.ENTITY, "triggers": Layer.EVENT, "boilerplate": Layer.BOILERPLATE}


def niced(function, inbox: "queue.Queue | None" = None):
    """function() in a thread whose OS priority is NICE lower (Linux schedules threads one by one); its
    result, or its exception raised here. The thread touches no database: what it puts in `inbox` (callables)
    is run here, on the job's own connection, as it comes."""
    outcome: dict = {}

    def body():
        try:
            with contextlib.suppress(OSError, AttributeError):
                me = threading.get_native_id()
                os.setpriority(os.PRIO_PROCESS, me, os.getpriority(os.PRIO_PROCESS, me) + NICE)
            outcome["value"] = function()
        except BaseException as error:  # raised again in the job's thread
            outcome["error"] = error

    thread = threading.Thread(target=body, name="training", daemon=True)
    thread.start()
    while thread.is_alive() or (inbox is not None and not inbox.empty()):
        try:
            task = inbox.get(timeout=0.2) if inbox is not None else thread.join(0.2)
        except queue.Empty:
            continue
        if task is not None:
            task()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def trained_for(job, *states) -> TrainedModel:
    trained = TrainedModel.objects.select_related("project").filter(pk=job.params.get("model")).first()
    if trained is None or (states and trained.state not in states):
        raise JobError(_("The model this job was for was deleted, or is not in a state to run it."))
    return trained


def _counts(samples: list[Sample]) -> dict:
    return {"documents": len(samples), "words": sum(len(s.tokens) for s in samples),
            "sentences": sum(len(s.sentence_starts) for s in samples),
            **{attribute: sum(len(getattr(s, attribute)) for s in samples) for attribute in LAYERS.values()},
            "arguments": sum(len(s.arguments) for s in samples)}


def max_counts(project) -> dict:
    return {(event_type, role): limit for event_type, role, limit in EventRole.objects.filter(
        event_type__project=project, retired=False, max_count__isnull=False).values_list(
        "event_type__name", "name", "max_count")}


def training_context(job, request) -> dict:
    try:
        return {"trained": trained_for(job)}
    except JobError:  # the run was deleted since: the page shows the job alone
        return {"trained": None}


@job_kind("models.train", result_template="annotate/_training.html#result", unit=gettext_noop("epochs"), cancellable=True,
          live_template="annotate/_training.html#live", result_context=training_context)
def model_train_job(job, progress) -> dict:
    trained = trained_for(job, TrainingState.TRAINING)
    try:
        return _train(job, trained, progress)
    except JobCancelled:
        training_abandon(trained=trained, state=TrainingState.CANCELLED)
        raise
    except BaseException:
        training_abandon(trained=trained, state=TrainingState.FAILED)
        raise


def _train(job, trained: TrainedModel, progress) -> dict:
    project = trained.project
    settings = TrainSettings(**{k: v for k, v in trained.settings.items() if k in TrainSettings().as_dict()})
    progress.set_total(settings.max_epochs)
    skipped: dict = {}
    task_of = chosen_sets(project, source=trained.settings.get("source", "gold"))
    by_split: dict[str, dict] = {"train": {}, "dev": {}, "test": {}}
    for document_id, task_id in task_of.items():
        by_split[split_of(document_id)][document_id] = task_id
    samples = {name: samples_load(project, tasks, skipped=skipped) for name, tasks in by_split.items()}
    if not any(getattr(s, a) for s in samples["train"] for a in LAYERS.values()):
        raise JobError(_("No document of the training split has a mark to learn from (%(count)s documents with a "
                         "set; a tenth go to dev and a tenth to test). Curate more documents, then train again.")
                       % {"count": len(task_of)})
    labels = {component: list(Label.objects.filter(project=project, layer=layer, retired=False)
                               .values_list("name", flat=True)) for component, layer in COMPONENT_LAYER.items()}
    counts = {name: _counts(split) for name, split in samples.items()}
    TrainedModel.objects.filter(pk=trained.pk).update(counts={**counts, "left_out": skipped})
    language = language_of(samples["train"])
    limits = max_counts(project)
    curve: list = []

    inbox: queue.Queue = queue.Queue()

    def write_curve(entry: dict) -> None:  # on the job's thread (niced's inbox)
        curve.append(entry)
        TrainedModel.objects.filter(pk=trained.pk).update(curve=curve)

    def on_epoch(entry: dict) -> None:
        progress.advance(1)
        inbox.put(lambda: write_curve(entry))

    def check() -> None:
        if progress.cancelled:
            raise JobCancelled

    def work():
        nlp = pipeline_build(language, labels, settings)
        outcome = train(nlp, samples["train"], samples["dev"], settings, on_epoch=on_epoch, check=check)
        table = arguments_fit(samples["train"])
        scores = test_scores(nlp, samples["test"], table, limits) if samples["test"] else {}
        return nlp, outcome, table, scores

    nlp, outcome, table, scores = niced(work, inbox)
    check()
    counts["left_out"] = {**skipped, **{f"overlapping {k}": v for k, v in outcome["dropped"].items()}}
    nlp.meta.update({
        "name": f"haber_{project.slug.replace('-', '_')}_{trained.number}", "version": f"1.0.{trained.number}",
        "description": f"{trained.version}: trained in Haber from project {project.slug}'s "
                       f"{trained.settings.get('source', 'gold')} sets",
        "haber": {"model": trained.version, "settings": trained.settings, "counts": counts, "scores": scores,
                  "best_epoch": outcome["best_epoch"], "stopped": outcome["stopped"], "usage": USAGE,
                  "splits": "SHA-256 of 'haber-split:<document id>' mod 100: < 10 test, < 20 dev, else train"},
    })
    path = archive_save(nlp, name=nlp.meta["name"], arguments=table,
                        storage_path=f"models/{project.slug}/{trained.number}.tar.gz")
    TrainedModel.objects.filter(pk=trained.pk).update(
        state=TrainingState.READY, counts=counts, scores=scores, path=path, finished_at=timezone.now(),
        settings={**trained.settings, "language": language, "best_epoch": outcome["best_epoch"],
                  "stopped": outcome["stopped"]})
    trained.refresh_from_db()
    predict = predictions_enqueue(trained=trained, by=job.owner)
    return {"model": trained.version, "predict_job": str(predict.pk), "epochs": len(curve), "best_epoch": outcome["best_epoch"],
            "stopped": outcome["stopped"], "test_f1": (scores.get("total") or {}).get("exact", {}).get("f1"),
            "gold_at_start": trained.gold_at_start, "accepted_gold_now": accepted_gold(project)}
