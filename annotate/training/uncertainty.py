"""How unsure a trained model is of a document, for active learning (issue #34 item 4), from a beam-search
twin of each recogniser (spaCy's beam_ner with the trained weights: the greedy recogniser gives no
probabilities). The queue of a project that orders by uncertainty shows the most uncertain documents first."""

from .pipeline import LAYERS

BEAM_WIDTH = 4


def beam_twins(nlp, components=tuple(LAYERS)) -> dict:
    """component → a beam_ner with the component's weights (added to nlp under "<name>_beam", not run by it:
    nlp.pipeline's order stays, and the twin is called directly)."""
    twins = {}
    for component in components:
        name = f"{component}_beam"
        if name in nlp.pipe_names:
            twins[component] = nlp.get_pipe(name)
            continue
        own = {k: v for k, v in nlp.config["components"][component].items() if k != "factory"}
        config = {"model": own["model"], "beam_width": BEAM_WIDTH, "beam_density": 0.0001}
        twin = nlp.add_pipe("beam_ner", name=name, config=config)
        twin.from_bytes(nlp.get_pipe(component).to_bytes(exclude=["cfg"]))
        nlp.disable_pipe(name)
        twins[component] = twin
    return twins


MEASURES = ("entities", "least")


def uncertainty(nlp, twins: dict, words_and_spaces: list[tuple[list[str], list[bool]]],
                measure: str = "entities") -> list[float]:
    """Each document's uncertainty, summed over the recognisers. "entities" (the queue's): over the spans
    any analysis in the beam proposes, how far each is from certain (min(p, 1 − p)), added up: more unsure
    names, more to learn. "least": least confidence, 1 − the best analysis' share of its beam. On TWNERTC
    (bench/active_learning.py) "entities" reached random order's F1 with 25% fewer sentences, "least" 18%."""
    from spacy.tokens import Doc

    scores = [0.0] * len(words_and_spaces)
    for twin in twins.values():
        docs = [Doc(nlp.vocab, words=words, spaces=spaces) for words, spaces in words_and_spaces]
        beams = twin.predict(docs)
        if measure == "entities":
            values = [sum(min(p, 1.0 - p) for p in found.values()) for found in twin.scored_ents(beams)]
        else:
            values = [1.0 - (max(beam.probs) if len(beam) else 1.0) for beam in beams]
        for i, value in enumerate(values):
            scores[i] += value
    return [round(score, 6) for score in scores]
