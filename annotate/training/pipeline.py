"""The spaCy side: a blank pipeline of the documents' language with three recognisers, each with its own
small CNN over hashed word features (prefix, suffix, shape: what Turkish suffixes after our apostrophe split
carry), trained on CPU on Docs built from our stored tokens, so that a model's span is always a run of our
tokens and maps back to the same code-point offsets:

* "ner": the entity labels;
* "triggers": the event types (a trigger may sit inside an entity, so it is a recogniser of its own);
* "boilerplate": the boilerplate labels, inline runs and whole lines alike (a transition-based recogniser has
  no limit on a span's length, which spaCy's n-gram span categorizer has).

Each is updated only with its own layer's gold (Language.update's `exclude`), so they never learn each
other's labels. spaCy is imported where it is used: the job kinds are registered in every process, and the
web processes never train."""

import random
import time
from collections.abc import Callable

from corpus.tokens import SPACY_LANGUAGES

from .data import Sample
from .run_settings import TrainSettings

LAYERS = {"ner": "entities", "triggers": "triggers", "boilerplate": "boilerplate"}  # component → Sample field


def _ner_config(settings: TrainSettings) -> dict:
    return {"model": {
        "@architectures": "spacy.TransitionBasedParser.v2", "state_type": "ner", "extra_state_tokens": False,
        "hidden_width": 64, "maxout_pieces": 2, "use_upper": True, "nO": None,
        "tok2vec": {"@architectures": "spacy.HashEmbedCNN.v2", "pretrained_vectors": None, "width": settings.width,
                    "depth": settings.depth, "embed_size": 2000, "window_size": 1, "maxout_pieces": 3,
                    "subword_features": True}}}


def language_of(samples: list[Sample]) -> str:
    """The pipeline's language: the documents' most common one where spaCy has it, else multi-language."""
    counts: dict[str, int] = {}
    for sample in samples:
        counts[sample.language] = counts.get(sample.language, 0) + 1
    best = max(counts, key=counts.get) if counts else "xx"
    return best if best in SPACY_LANGUAGES else "xx"


def pipeline_build(language: str, labels: dict[str, list[str]], settings: TrainSettings, components=tuple(LAYERS)):
    """A blank pipeline with the recognisers `components` (all three in the app; a bench may train fewer)."""
    import spacy

    nlp = spacy.blank(language)
    for component in components:
        pipe = nlp.add_pipe("ner", name=component, config=_ner_config(settings))
        for label in labels.get(component, []):
            pipe.add_label(label)
    return nlp


def doc_of(nlp, sample: Sample):
    from spacy.tokens import Doc

    words, spaces, _index = sample.layout()
    return Doc(nlp.vocab, words=words, spaces=spaces)


def examples_of(nlp, sample: Sample, dropped: dict) -> dict:
    """One Example per component: the document's words, with that layer's marks as the reference's entities
    (overlapping marks of one layer cannot all be learnt: the longest are kept, the rest counted)."""
    from spacy.tokens import Span
    from spacy.training import Example
    from spacy.util import filter_spans

    predicted = doc_of(nlp, sample)
    examples = {}
    for component, attribute in LAYERS.items():
        if component not in nlp.pipe_names:
            continue
        reference = doc_of(nlp, sample)
        index = sample.layout()[2]
        spans = []
        for label, start, end in getattr(sample, attribute):
            first, last = sample.token_span(start, end)
            spans.append(Span(reference, index[first], index[last - 1] + 1, label=label))
        kept = filter_spans(spans)
        if len(kept) < len(spans):
            dropped[component] = dropped.get(component, 0) + len(spans) - len(kept)
        reference.ents = kept
        examples[component] = Example(predicted, reference)
    return examples


def predict_doc(nlp, words: list[str], spaces: list[bool]) -> dict[str, list[tuple[str, int, int]]]:
    """Each recogniser's spans as (label, start, end) character offsets of the Doc's text (the stored text,
    so code points as stored), without whitespace tokens at their edges. Each recogniser runs on a fresh Doc
    of the words: a recogniser takes the entities already on a Doc as fixed, so chaining them (nlp(doc))
    would let the first one's spans block the others'. A user of the downloaded pipeline runs it so too."""
    from spacy.tokens import Doc

    found = {}
    for name, pipe in nlp.pipeline:
        doc = pipe(Doc(nlp.vocab, words=words, spaces=spaces))
        spans = []
        for span in doc.ents:
            start, end = span.start, span.end
            while start < end and doc[start].is_space:
                start += 1
            while end > start and doc[end - 1].is_space:
                end -= 1
            if start < end:
                spans.append((span.label_, doc[start].idx, doc[end - 1].idx + len(doc[end - 1])))
        found[name] = spans
    return found


def run_pipeline(nlp, samples: list[Sample]):
    """(sample, marks by component as (label, start, end) code points) for each sample."""
    for sample in samples:
        words, spaces, _index = sample.layout()
        yield sample, predict_doc(nlp, words, spaces)


def micro_f1(pairs) -> float:
    """Exact-match F1 over every layer: pairs of (predicted, gold) sets of (component, label, start, end)."""
    tp = fp = fn = 0
    for predicted, gold in pairs:
        tp += len(predicted & gold)
        fp += len(predicted - gold)
        fn += len(gold - predicted)
    return round(2 * tp / (2 * tp + fp + fn), 4) if tp else 0.0


def gold_marks(sample: Sample) -> set:
    return {(c, label, s, e) for c, a in LAYERS.items() for label, s, e in getattr(sample, a)}


def dev_f1(nlp, samples: list[Sample]) -> float:
    pairs = []
    for sample, marks in run_pipeline(nlp, samples):
        pairs.append(({(c, label, s, e) for c, found in marks.items() for label, s, e in found}, gold_marks(sample)))
    return micro_f1(pairs)


def batches(examples: list[dict], words: int):
    """Runs of whole documents of about `words` words (one document longer than that is a batch alone)."""
    batch, size = [], 0
    for example in examples:
        batch.append(example)
        size += len(next(iter(example.values())).reference)
        if size >= words:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def train(nlp, train_samples: list[Sample], dev_samples: list[Sample], settings: TrainSettings, *,
          on_epoch: Callable[[dict], None], check: Callable[[], None]) -> dict:
    """Train in place; returns {"dropped": overlapping marks left out, "best_epoch", "stopped"}. After each
    epoch `on_epoch` hears of it (epoch, loss per component, dev F1, seconds); `check()` runs between
    batches and raises to stop (a cancelled job). The weights of the best dev epoch are the ones kept (the
    last epoch's if there is no dev split)."""
    import spacy

    random.seed(settings.seed)
    spacy.util.fix_random_seed(settings.seed)
    dropped: dict = {}
    examples = [examples_of(nlp, sample, dropped) for sample in train_samples]
    components = [c for c in LAYERS if c in nlp.pipe_names]
    for component in components:
        pipe = nlp.get_pipe(component)
        pipe.initialize(lambda c=component: [e[c] for e in examples], nlp=nlp)
    optimizer = nlp.create_optimizer()
    best, best_epoch, best_bytes, stale, started = -1.0, 0, None, 0, time.monotonic()
    stopped = "epochs"
    for epoch in range(1, settings.max_epochs + 1):
        epoch_started = time.monotonic()
        random.shuffle(examples)
        losses: dict = {}
        for batch in batches(examples, settings.batch_words):
            for component in components:
                check()
                nlp.update([e[component] for e in batch], sgd=optimizer, drop=settings.dropout, losses=losses,
                           exclude=[c for c in nlp.pipe_names if c != component])
        f1 = dev_f1(nlp, dev_samples) if dev_samples else None
        seconds = time.monotonic() - epoch_started
        on_epoch({"epoch": epoch, "loss": {k: round(float(v), 2) for k, v in losses.items()}, "dev_f1": f1,
                  "seconds": round(seconds, 1)})
        score = f1 if f1 is not None else epoch  # no dev split: the last epoch is the best one
        if score > best:
            best, best_epoch, stale = score, epoch, 0
            best_bytes = nlp.to_bytes()
        else:
            stale += 1
            if stale >= settings.patience:
                stopped = "early stopping"
                break
        elapsed = time.monotonic() - started
        if elapsed + seconds > settings.max_seconds:
            stopped = "time limit"
            break
    if best_bytes is not None:
        nlp.from_bytes(best_bytes)
    return {"dropped": dropped, "best_epoch": best_epoch, "stopped": stopped}
