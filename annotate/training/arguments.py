"""The event-argument baseline: for each trigger, each entity in the trigger's sentence gets the role that
entities of its label, on that side of a trigger of that type, held most often in the training gold, or no
role when "none" was more common. Counted, not learnt by gradient: it needs no features beyond the layers the
recognisers give, it is fast, and it is a floor that a real classifier must beat. A role never takes more
entities than its max_count (the nearest to the trigger first)."""

from collections import Counter, defaultdict

from .data import Sample

NONE = ""


def _side(trigger: tuple, entity: tuple) -> str:
    return "before" if entity[1] < trigger[1] else "after"


def _candidates(sample: Sample, triggers, entities):
    """(trigger index, entity index, key) for every entity in the sentence of every trigger."""
    sentence_of_start = {}
    for i, (_label, start, _end) in enumerate(entities):
        sentence_of_start[i] = sample.sentence_of(sample.token_span(start, _end)[0])
    for t, trigger in enumerate(triggers):
        sentence = sample.sentence_of(sample.token_span(trigger[1], trigger[2])[0])
        for e, entity in enumerate(entities):
            if sentence_of_start[e] == sentence:
                yield t, e, (trigger[0], entity[0], _side(trigger, entity))


def arguments_fit(samples: list[Sample]) -> dict:
    """The table: "TYPE|LABEL|side" → role ("" for none), with how often it was right in training."""
    counts: dict[tuple, Counter] = defaultdict(Counter)
    for sample in samples:
        roles = {(t, e): role for t, role, e in sample.arguments}
        for t, e, key in _candidates(sample, sample.triggers, sample.entities):
            counts[key][roles.get((t, e), NONE)] += 1
    table = {}
    for key, counter in counts.items():
        role, seen = counter.most_common(1)[0]
        if role != NONE:
            table["|".join(key)] = {"role": role, "seen": seen, "of": sum(counter.values())}
    return table


def arguments_predict(sample: Sample, triggers, entities, table: dict, max_counts: dict) -> list[tuple[int, str, int]]:
    """(trigger index, role, entity index) for the predicted `triggers` and `entities` of `sample`;
    max_counts: (event type, role) → the most entities the role may take (absent: no limit)."""
    chosen: dict[tuple[int, str], list] = defaultdict(list)
    for t, e, key in _candidates(sample, triggers, entities):
        rule = table.get("|".join(key))
        if rule:
            distance = abs(entities[e][1] - triggers[t][1])
            chosen[(t, rule["role"])].append((distance, e))
    arguments = []
    for (t, role), found in chosen.items():
        limit = max_counts.get((triggers[t][0], role))
        for _distance, e in sorted(found)[:limit]:
            arguments.append((t, role, e))
    return sorted(arguments)


def arguments_score(pairs) -> dict:
    """Precision, recall and F1 of arguments: pairs of (predicted, gold) sets of (trigger span and type, role,
    entity span and label) tuples; an argument counts only when its trigger and entity are right as well."""
    tp = fp = fn = 0
    for predicted, gold in pairs:
        tp += len(predicted & gold)
        fp += len(predicted - gold)
        fn += len(gold - predicted)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
            "predicted": tp + fp, "gold": tp + fn}


def argument_tuples(triggers, entities, arguments) -> set:
    return {(triggers[t], role, entities[e]) for t, role, e in arguments}
