"""Which model for boilerplate (issue #34 item 1): the product's transition-based recogniser (one model for
inline runs and whole lines, annotate/training/pipeline.py) against a per-line classifier (spaCy's textcat
over each line, its label or BODY) plus a recogniser for the inline runs only, both trained on the same
generated articles and scored on the same test split by exact span F1. spaCy's span categorizer is not in
the race: its n-gram suggester proposes spans of a few tokens, and a disclaimer line is forty.

The articles are harder than the demo's (annotate/training/demo_corpus.py): related headlines are lines
written like the body's sentences, after an "İlgili Haberler" line; "REKLAM" and "Paylaş" stand inside
sentences as well as on lines of their own; the body has paragraphs on lines of their own too.

    .venv/bin/python bench/boilerplate_models.py [--n 600] [--epochs 12] [--seeds 11,12,13]
"""

import argparse
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import django_setup

DISCLAIMERS = ["Yorumlar okuyucularımıza aittir; yayın kurallarına uymayan yorumlar silinir.",
               "Bu haberin tüm hakları saklıdır, izinsiz kopyalanamaz.",
               "Habere yorum yazmak için giriş yapın."]


def article(rng):
    from annotate.training.demo_corpus import FILLER, PLACES, _sentence, _Writer

    w = _Writer()
    w.put(rng.choice(PLACES).upper(), "METADATA", "boilerplate")
    w.put(" (Haber) - ")
    for _ in range(rng.randint(4, 8)):
        (_sentence if rng.random() < 0.7 else lambda w, r: w.put(r.choice(FILLER)))(w, rng)
        roll = rng.random()
        if roll < 0.08:
            w.put(" ")
            w.put("Paylaş", "SHARE", "boilerplate")
        elif roll < 0.14:
            w.put(" ")
            w.put("REKLAM", "AD", "boilerplate")
        w.put(" " if rng.random() < 0.5 else "\n")
    if rng.random() < 0.6:
        w.put("\n")
        w.put("İlgili Haberler", "RELATED", "boilerplate")
        for _ in range(rng.randint(1, 3)):
            w.put("\n")
            line = _Writer()
            _sentence(line, rng)
            w.put(line.text, "RELATED", "boilerplate")
    if rng.random() < 0.5:
        w.put("\n")
        w.put("REKLAM", "AD", "boilerplate")
    if rng.random() < 0.6:
        w.put("\n")
        w.put(rng.choice(DISCLAIMERS), "DISCLAIMER", "boilerplate")
    w.spans = [s for s in w.spans if s[0] == "boilerplate"]
    return w


def samples(count: int, seed: int):
    from annotate.training.data import Sample
    from corpus.tokens import tokenize

    rng, out = random.Random(seed), []
    for number in range(count):
        w = article(rng)
        tokens, sentences = tokenize(w.text, "tr")
        sample = Sample(number + 1, w.text, "tr", tokens, sentences)
        sample.boilerplate = [(label, a, b) for _layer, label, a, b in w.spans]
        out.append(sample)
    return out


def lines_of(sample):
    """(start, end) of each non-empty line of the sample's text."""
    found, position = [], 0
    for line in sample.text.split("\n"):
        if line.strip():
            found.append((position, position + len(line)))
        position += len(line) + 1
    return found


def whole_line(sample, span, lines) -> bool:
    return (span[1], span[2]) in set(lines)


def f1(pairs) -> dict:
    tp = fp = fn = 0
    for predicted, gold in pairs:
        tp, fp, fn = tp + len(predicted & gold), fp + len(predicted - gold), fn + len(gold - predicted)
    p, r = (tp / (tp + fp) if tp + fp else 0.0), (tp / (tp + fn) if tp + fn else 0.0)
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=600)
    parser.add_argument("--epochs", type=int, default=12)
    parser.add_argument("--seeds", type=lambda v: [int(x) for x in v.split(",")], default=[11, 12, 13],
                        help="one data set (and training seed) each; the means are compared")
    args = parser.parse_args()
    django_setup()
    runs = [compare(args, seed) for seed in args.seeds]
    means = {name: round(sum(r["results"][name]["f1"] for r in runs) / len(runs), 4) for name in runs[0]["results"]}
    print(json.dumps({"n": args.n, "epochs": args.epochs, "runs": runs, "mean_f1": means}))


def compare(args, seed: int) -> dict:
    import spacy
    from spacy.training import Example

    from annotate.training.pipeline import TrainSettings, pipeline_build, run_pipeline, train
    from annotate.training.splits import split_of

    data = samples(args.n, seed)
    split = {name: [s for s in data if split_of(s.document_id) == name] for name in ("train", "dev", "test")}
    labels = sorted({label for s in data for label, _a, _b in s.boilerplate})
    settings = TrainSettings(max_epochs=args.epochs, patience=3, batch_words=500, seed=seed)
    results = {}

    # (A) the product's: one recogniser for every boilerplate span
    started = time.monotonic()
    nlp = pipeline_build("tr", {"boilerplate": labels}, settings, components=("boilerplate",))
    train(nlp, split["train"], split["dev"], settings, on_epoch=lambda e: None, check=lambda: None)
    pairs = [(set(marks["boilerplate"]), set(s.boilerplate)) for s, marks in run_pipeline(nlp, split["test"])]
    results["recogniser"] = {**f1(pairs), "seconds": round(time.monotonic() - started)}

    # (B) a per-line classifier for whole lines, plus a recogniser for the runs inside lines
    started = time.monotonic()
    inline_train = []
    for s in split["train"] + split["dev"]:
        lines = lines_of(s)
        copy = type(s)(s.document_id, s.text, s.language, s.tokens, s.sentence_starts)
        copy.boilerplate = [b for b in s.boilerplate if not whole_line(s, b, lines)]
        inline_train.append(copy)
    inline = pipeline_build("tr", {"boilerplate": labels}, settings, components=("boilerplate",))
    dev_ids = {s.document_id for s in split["dev"]}
    train(inline, [s for s in inline_train if s.document_id not in dev_ids],
          [s for s in inline_train if s.document_id in dev_ids], settings, on_epoch=lambda e: None,
          check=lambda: None)
    textcat_nlp = spacy.blank("tr")
    textcat = textcat_nlp.add_pipe("textcat")
    for label in [*labels, "BODY"]:
        textcat.add_label(label)

    def line_examples(group):
        examples = []
        for s in group:
            whole = {(a, b): label for label, a, b in s.boilerplate}
            for a, b in lines_of(s):
                gold = whole.get((a, b), "BODY")
                examples.append(Example.from_dict(textcat_nlp.make_doc(s.text[a:b]),
                                                  {"cats": {k: float(k == gold) for k in [*labels, "BODY"]}}))
        return examples

    train_lines = line_examples(split["train"])
    optimizer = textcat_nlp.initialize(lambda: train_lines)
    rng = random.Random(seed)
    for _epoch in range(args.epochs):
        rng.shuffle(train_lines)
        for i in range(0, len(train_lines), 32):
            textcat_nlp.update(train_lines[i:i + 32], sgd=optimizer, drop=0.1)
    pairs = []
    runs = {s.document_id: marks for s, marks in run_pipeline(inline, split["test"])}
    for s in split["test"]:
        lines = lines_of(s)
        predicted = set()
        for (a, b), doc in zip(lines, textcat_nlp.pipe([s.text[a:b] for a, b in lines]), strict=True):
            best = max(doc.cats, key=doc.cats.get)
            if best != "BODY":
                predicted.add((best, a, b))
        for label, a, b in runs[s.document_id]["boilerplate"]:
            if not any(la <= a and b <= lb for _l, la, lb in predicted):
                predicted.add((label, a, b))
        pairs.append((predicted, set(s.boilerplate)))
    results["line classifier + inline recogniser"] = {**f1(pairs), "seconds": round(time.monotonic() - started)}
    return {"seed": seed, "documents": {k: len(v) for k, v in split.items()},
            "test_spans": sum(len(s.boilerplate) for s in split["test"]), "results": results}


if __name__ == "__main__":
    main()
