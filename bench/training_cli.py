"""No loss in the pipeline (issue #34 item 6): the same recogniser config trained on the same split twice,
in the product's training code (annotate/training/pipeline.py) and by `python -m spacy train` outside the
app from DocBin files laid out as the product's spaCy export writes them (doc_layout), then both scored on
the test split by the product's scorer (exact entity F1). `../shared/bench/make_corpus.py` writes the
articles (~3,000 characters, ~20 entities each); the split is the product's (a hash of the document id).

    .venv/bin/python bench/training_cli.py [--n 500] [--epochs 8] [--seeds 0,1,2]

Prints one JSON line: each seed's test F1 on both sides, their means and the difference in points."""

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import django_setup
from bench.stack import MAKE_CORPUS

CONFIG = """
[paths]
train = null
dev = null

[system]
seed = {seed}
gpu_allocator = null

[nlp]
lang = "tr"
pipeline = ["ner"]
batch_size = 1000

[components]

[components.ner]
factory = "ner"

[components.ner.model]
@architectures = "spacy.TransitionBasedParser.v2"
state_type = "ner"
extra_state_tokens = false
hidden_width = 64
maxout_pieces = 2
use_upper = true
nO = null

[components.ner.model.tok2vec]
@architectures = "spacy.HashEmbedCNN.v2"
pretrained_vectors = null
width = {width}
depth = {depth}
embed_size = 2000
window_size = 1
maxout_pieces = 3
subword_features = true

[corpora]

[corpora.train]
@readers = "spacy.Corpus.v1"
path = ${{paths.train}}
max_length = 0

[corpora.dev]
@readers = "spacy.Corpus.v1"
path = ${{paths.dev}}
max_length = 0

[training]
dropout = {dropout}
max_epochs = {epochs}
max_steps = 0
patience = 0
eval_frequency = {eval_frequency}
seed = ${{system.seed}}

[training.batcher]
@batchers = "spacy.batch_by_words.v1"
size = {batch_words}
tolerance = 0.2
discard_oversize = false

[training.optimizer]
@optimizers = "Adam.v1"

[training.score_weights]
ents_f = 1.0
ents_p = 0.0
ents_r = 0.0

[initialize]
"""


def samples_of(corpus: Path):
    from annotate.training.data import Sample
    from corpus.text import normalize_text
    from corpus.tokens import tokenize

    samples, left_out = [], 0
    for number, line in enumerate(corpus.read_text(encoding="utf-8").splitlines(), 1):
        record = json.loads(line)
        text = normalize_text(record["text"])
        assert text == record["text"], "the workload's texts are stored as they are"
        tokens, sentences = tokenize(text, "tr")
        sample = Sample(number, text, "tr", tokens, sentences)
        for start, end, label in record["label"]:
            if sample.token_span(start, end) is None:
                left_out += 1
            else:
                sample.entities.append((label, start, end))
        samples.append(sample)
    return samples, left_out


def docbin(samples, path: Path) -> None:
    import spacy
    from spacy.tokens import Doc, DocBin, Span
    from spacy.util import filter_spans

    vocab, bin_ = spacy.blank("tr").vocab, DocBin(store_user_data=False)
    for sample in samples:
        words, spaces, index = sample.layout()
        doc = Doc(vocab, words=words, spaces=spaces)
        spans = [Span(doc, index[a], index[b - 1] + 1, label=label)
                 for label, a, b in ((label, *sample.token_span(s, e)) for label, s, e in sample.entities)]
        doc.ents = filter_spans(spans)
        bin_.add(doc)
    bin_.to_disk(path)


def test_f1(nlp, samples) -> float:
    from annotate.training.pipeline import micro_f1, run_pipeline

    return micro_f1([({("ner", *m) for m in marks["ner"]}, {("ner", *e) for e in sample.entities})
                     for sample, marks in run_pipeline(nlp, samples)])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=500)
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--seeds", type=lambda v: [int(x) for x in v.split(",")], default=[0, 1, 2],
                        help="one run on each side per seed; the means are compared")
    args = parser.parse_args()
    if not MAKE_CORPUS.exists():
        print(json.dumps({"skipped": f"{MAKE_CORPUS} is not here (the workload lives in ../shared)"}))
        return
    django_setup()
    import spacy

    from annotate.training.pipeline import TrainSettings, batches, examples_of, pipeline_build, train
    from annotate.training.splits import split_of

    work = Path(tempfile.mkdtemp(prefix="haber-cli-"))
    subprocess.run([sys.executable, str(MAKE_CORPUS), "--n", str(args.n), "--seed", "42", "--out", str(work)],
                   check=True, capture_output=True)
    samples, left_out = samples_of(work / f"corpus_{args.n}.jsonl")
    split = {name: [s for s in samples if split_of(s.document_id) == name] for name in ("train", "dev", "test")}
    labels = {"ner": sorted({e[0] for s in samples for e in s.entities})}
    docbin(split["train"], work / "train.spacy")
    docbin(split["dev"], work / "dev.spacy")
    rows = []
    for seed in args.seeds:
        settings = TrainSettings(max_epochs=args.epochs, patience=args.epochs, seed=seed)
        started = time.monotonic()
        nlp = pipeline_build("tr", labels, settings, components=("ner",))
        train(nlp, split["train"], split["dev"], settings, on_epoch=lambda e: print(e, file=sys.stderr),
              check=lambda: None)
        ours, ours_seconds = test_f1(nlp, split["test"]), time.monotonic() - started
        probe = pipeline_build("tr", labels, settings, components=("ner",))
        steps = sum(1 for _ in batches([examples_of(probe, s, {}) for s in split["train"]], settings.batch_words))
        (work / "base.cfg").write_text(CONFIG.format(
            seed=seed, width=settings.width, depth=settings.depth, dropout=settings.dropout,
            epochs=args.epochs, eval_frequency=steps, batch_words=settings.batch_words))
        subprocess.run([sys.executable, "-m", "spacy", "init", "fill-config", str(work / "base.cfg"),
                        str(work / "config.cfg")], check=True, capture_output=True)  # spaCy's defaults for the rest
        started = time.monotonic()
        subprocess.run([sys.executable, "-m", "spacy", "train", str(work / "config.cfg"), "--output",
                        str(work / f"out-{seed}"), "--paths.train", str(work / "train.spacy"), "--paths.dev",
                        str(work / "dev.spacy")], check=True, stdout=sys.stderr, stderr=sys.stderr)
        theirs = test_f1(spacy.load(work / f"out-{seed}" / "model-best"), split["test"])
        rows.append({"seed": seed, "in_app_test_f1": ours, "spacy_train_test_f1": theirs,
                     "in_app_seconds": round(ours_seconds), "spacy_train_seconds": round(time.monotonic() - started)})
    mean_ours = sum(r["in_app_test_f1"] for r in rows) / len(rows)
    mean_theirs = sum(r["spacy_train_test_f1"] for r in rows) / len(rows)
    print(json.dumps({"n": args.n, "epochs": args.epochs, "documents": {k: len(v) for k, v in split.items()},
                      "entities_left_out_inside_tokens": left_out, "runs": rows,
                      "in_app_mean": round(mean_ours, 4), "spacy_train_mean": round(mean_theirs, 4),
                      "difference_points": round(100 * (mean_ours - mean_theirs), 2)}))

if __name__ == "__main__":
    main()
