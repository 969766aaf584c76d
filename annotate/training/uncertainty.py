"""How unsure a trained model is of a document, for active learning (issue #34 item 4): least confidence,
1 − P(best analysis), for each recogniser, from a beam-search twin of it (spaCy's beam_ner with the trained
weights: the greedy recogniser gives no probabilities); a document's uncertainty is its most unsure
recogniser's. The queue of a project that orders by uncertainty shows the least confident documents first."""

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


def uncertainty(nlp, twins: dict, words_and_spaces: list[tuple[list[str], list[bool]]]) -> list[float]:
    """Least confidence of each document (words, spaces): 1 − the best analysis' share of its beam,
    the highest of the recognisers'."""
    from spacy.tokens import Doc

    scores = [0.0] * len(words_and_spaces)
    for twin in twins.values():
        docs = [Doc(nlp.vocab, words=words, spaces=spaces) for words, spaces in words_and_spaces]
        for i, beam in enumerate(twin.predict(docs)):
            best = max(beam.probs) if len(beam) else 1.0
            scores[i] = max(scores[i], 1.0 - best)
    return [round(score, 6) for score in scores]
