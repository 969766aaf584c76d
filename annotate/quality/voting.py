"""What several annotators agree on, by a vote over their versions of one document: the rule the curation
page accepts in advance and the rule `source=majority` exports.

A version is keys only, so that one vote serves the page (keys by label id) and the export (by label name):
a span is (label, start, end), an event (type, start, end), an argument (event key, role, span key). An item
is agreed when at least `needed` of the n versions hold it: n for "unanimous", more than half for
"majority". An argument is agreed only with its event and its span."""

from collections import Counter
from dataclasses import dataclass, field

POLICIES = ("unanimous", "majority")


@dataclass
class Version:
    who: str
    spans: dict = field(default_factory=dict)  # (label, start, end) → the annotator's item (id or object)
    events: dict = field(default_factory=dict)  # (type, start, end) → the annotator's item
    arguments: set = field(default_factory=set)  # (event key, role, span key)


@dataclass
class Vote:
    spans: list  # agreed keys, in text order
    events: list
    arguments: list
    first: dict  # key → the first version's item with that key (its id names the agreed item)


def needed(policy: str, n: int) -> int:
    if policy not in POLICIES:
        raise ValueError(f"Unknown agreement policy {policy!r}; one of: {', '.join(POLICIES)}")
    return n if policy == "unanimous" else n // 2 + 1


def _order(key) -> tuple:
    return key[1], -key[2], str(key[0])


def vote(versions: list[Version], policy: str) -> Vote:
    """The items held by enough versions; each version counts once per key."""
    if not versions:
        return Vote([], [], [], {})
    enough = needed(policy, len(versions))
    spans, events, arguments, first = Counter(), Counter(), Counter(), {}
    for version in versions:
        spans.update(version.spans.keys())
        events.update(version.events.keys())
        arguments.update(version.arguments)
        for key, item in (*version.spans.items(), *version.events.items()):
            first.setdefault(key, item)
    agreed_spans = sorted((k for k, c in spans.items() if c >= enough), key=_order)
    agreed_events = sorted((k for k, c in events.items() if c >= enough), key=_order)
    kept_spans, kept_events = set(agreed_spans), set(agreed_events)
    agreed_arguments = sorted(
        (k for k, c in arguments.items() if c >= enough and k[0] in kept_events and k[2] in kept_spans),
        key=lambda k: (_order(k[0]), str(k[1]), _order(k[2])),
    )
    return Vote(agreed_spans, agreed_events, agreed_arguments, first)
