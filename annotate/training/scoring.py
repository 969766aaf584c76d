"""A finished run measured on the test split, as the Models page measures any model (quality.evaluation's
compare: exact and overlapping precision, recall and F1), in total, per layer and per label; and the
event-argument baseline, scored on whole arguments."""

from annotate.quality.evaluation import Score, compare

from .arguments import argument_tuples, arguments_predict, arguments_score
from .pipeline import LAYERS, run_pipeline

LAYER_NAMES = {"ner": "entities", "triggers": "event triggers", "boilerplate": "boilerplate"}


def test_scores(nlp, samples, table: dict, max_counts: dict) -> dict:
    total: dict = {}
    per_layer: dict = {component: {} for component in LAYERS}
    argument_pairs = []
    for sample, marks in run_pipeline(nlp, samples):
        gold = {c: getattr(sample, a) for c, a in LAYERS.items()}
        compare([(f"{c}|{label}", s, e) for c in LAYERS for label, s, e in marks[c]],
                [(f"{c}|{label}", s, e) for c in LAYERS for label, s, e in gold[c]], total, [], sample.document_id)
        for component in LAYERS:
            compare(marks[component], gold[component], per_layer[component], [], sample.document_id)
        predicted_args = arguments_predict(sample, marks["triggers"], marks["ner"], table, max_counts)
        argument_pairs.append((argument_tuples(marks["triggers"], marks["ner"], predicted_args),
                               argument_tuples(sample.triggers, sample.entities, sample.arguments)))
    return {
        "documents": len(samples),
        "total": total.get(None, Score()).as_dict(),
        "layers": {LAYER_NAMES[c]: {
            "total": scores.get(None, Score()).as_dict(),
            "labels": {label: score.as_dict() for label, score in sorted(
                ((k, v) for k, v in scores.items() if k is not None), key=lambda kv: kv[0])}}
            for c, scores in per_layer.items()},
        "arguments": arguments_score(argument_pairs),
    }
