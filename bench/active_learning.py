"""Active learning, simulated (issue #34 item 4): annotation replayed on the Turkish NER sentences of TWNERTC
(`../shared/external/tr_twnertc_linspector/`, CC-BY), 250 sentences at a time, in random order and in the
order the product's queue uses when a project orders by uncertainty (the current model's most uncertain
sentences first, annotate/training/uncertainty.py; --measure least for least confidence). After each step a model is trained from scratch on the
sentences annotated so far with the product's own training code (annotate/training/pipeline.py, the entity
recogniser only: TWNERTC has entities only) and scored on the test file (exact entity F1). Both orders start
from the same 250 random sentences.

    .venv/bin/python bench/active_learning.py [--step 250] [--max 2500] [--epochs 6] [--test 2000]

Prints a table (sentences → F1 in each order) and how many sentences the uncertainty order needed to reach
the random order's final F1."""

import argparse
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import ROOT, django_setup

DATA = ROOT.parent / "shared" / "external" / "tr_twnertc_linspector"


def sentences(path: Path) -> list[list[tuple[str, str]]]:
    found, current = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if not parts:
            if current:
                found.append(current)
            current = []
            continue
        current.append((parts[0], parts[-1]))
    if current:
        found.append(current)
    return found


def sample_of(number: int, sentence):
    from annotate.training.data import Sample

    tokens, text, entities, open_entity = [], "", [], None
    for i, (word, tag) in enumerate(sentence):
        start = len(text) + (1 if text else 0)
        text += (" " if text else "") + word
        tokens.append((start, start + len(word)))
        if tag.startswith("B-") or (tag.startswith("I-") and (open_entity is None or open_entity[0] != tag[2:])):
            if open_entity:
                entities.append(open_entity)
            open_entity = [tag[2:], start, start + len(word)]
        elif tag.startswith("I-"):
            open_entity[2] = start + len(word)
        else:
            if open_entity:
                entities.append(open_entity)
            open_entity = None
        del i
    if open_entity:
        entities.append(open_entity)
    sample = Sample(number, text, "tr", tokens, [0])
    sample.entities = [tuple(e) for e in entities]
    return sample


def f1(nlp, samples) -> float:
    from annotate.training.pipeline import micro_f1, run_pipeline

    pairs = [({("ner", *m) for m in marks["ner"]}, {("ner", *e) for e in sample.entities})
             for sample, marks in run_pipeline(nlp, samples)]
    return micro_f1(pairs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--step", type=int, default=250)
    parser.add_argument("--max", type=int, default=2500)
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--test", type=int, default=2000, help="test sentences scored (the first N of test.txt)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--measure", default="entities", help="entities (the product's queue) or least (least confidence)")
    args = parser.parse_args()
    if not DATA.exists():
        print(json.dumps({"skipped": f"{DATA} is not here (it lives in ../shared)"}))
        return
    django_setup()
    from annotate.training.pipeline import TrainSettings, pipeline_build, train
    from annotate.training.uncertainty import beam_twins, uncertainty

    pool = [sample_of(i, s) for i, s in enumerate(sentences(DATA / "dev.txt"))]
    test = [sample_of(i, s) for i, s in enumerate(sentences(DATA / "test.txt")[:args.test])]
    labels = {"ner": sorted({e[0] for s in pool for e in s.entities})}
    settings = TrainSettings(max_epochs=args.epochs, patience=args.epochs, batch_words=250, seed=args.seed)
    order = list(range(len(pool)))
    random.Random(args.seed).shuffle(order)
    curves = {}
    for strategy in ("random", "uncertainty"):
        chosen, rest, curve = order[:args.step], order[args.step:], []
        while True:
            started = time.monotonic()
            nlp = pipeline_build("tr", labels, settings, components=("ner",))
            train(nlp, [pool[i] for i in chosen], [], settings, on_epoch=lambda e: None, check=lambda: None)
            score = f1(nlp, test)
            curve.append((len(chosen), score))
            print(f"{strategy:<11} {len(chosen):>5} sentences  F1 {score:.4f}  ({time.monotonic() - started:.0f} s)",
                  file=sys.stderr, flush=True)
            if len(chosen) >= args.max or not rest:
                break
            if strategy == "random":
                taken = rest[:args.step]
            else:
                twins = beam_twins(nlp, components=("ner",))
                unsure = uncertainty(nlp, twins, [pool[i].layout()[:2] for i in rest], measure=args.measure)
                taken = [i for _score, i in sorted(zip(unsure, rest, strict=True), key=lambda p: -p[0])[:args.step]]
            chosen = chosen + taken
            rest = [i for i in rest if i not in set(taken)]
        curves[strategy] = curve
    target = curves["random"][-1][1]
    needed = None
    previous = (0, 0.0)
    for size, score in curves["uncertainty"]:
        if score >= target:  # linear between the two steps around the crossing
            low_size, low_score = previous
            needed = size if score == low_score else round(low_size + (target - low_score) / (score - low_score)
                                                           * (size - low_size))
            break
        previous = (size, score)
    final = curves["random"][-1][0]
    print("| sentences | random F1 | uncertainty F1 |\n|---:|---:|---:|")
    for (size, a), (_size, b) in zip(curves["random"], curves["uncertainty"], strict=True):
        print(f"| {size:,} | {a:.4f} | {b:.4f} |")
    print(json.dumps({"random_final_f1": target, "sentences_random": final, "sentences_uncertainty_to_reach_it": needed,
                      "fewer_percent": round(100 * (1 - needed / final), 1) if needed else None,
                      "pool": len(pool), "test_sentences": len(test), "epochs": args.epochs, "measure": args.measure,
                      "seed": args.seed}))


if __name__ == "__main__":
    main()
