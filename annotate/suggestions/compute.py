"""A task's suggestions, in one query: the spans and events of the model predictions imported for its
document (tasks of users named model:…), the gazetteer entries whose strings occur in the text (the gold
sets' and the annotator's own, never another annotator's), the boilerplate lines seen before in the same
collection, and the task's rejections, which are taken away together with whatever the annotator has
marked with the same label over those characters."""

from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import connection

from annotate.models import (
    Event,
    GazetteerEntry,
    ProjectRejection,
    RepeatedLine,
    Span,
    SuggestionRejection,
    Task,
)
from annotate.suggestions.folding import first_word, fold, fold_keeping_length, line_hash, lines_of
from corpus.models import DocumentTokens
from corpus.tokens import unpack_token_lists

MAX_TOKENS = 6  # the longest gazetteer string, in tokens
MAX_CHARS = 200
PREFIX_MIN = 3  # inside words: at least this many characters of a word
PRIORITY = {"model": 0, "gold": 1, "gazetteer": 2, "repetition": 3}


@dataclass(frozen=True, slots=True)
class Suggestion:
    kind: str  # span or event
    label_id: int
    start: int
    end: int
    origin: str  # model:NAME:VERSION, gazetteer or repetition

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.label_id}-{self.start}-{self.end}"


def suggestions_enabled(project) -> bool:
    return project.suggest_predictions or project.suggest_gazetteer or project.suggest_repetition


def suggestions_shown(task, viewer) -> bool:
    """The one rule for whether a set shows (and may accept) suggestions: an annotator's own open task (never
    a gold set, a curator's or another annotator's view), in a project with a suggester on. `viewer`: a user
    or a user id."""
    viewer_id = getattr(viewer, "pk", viewer)
    return (not task.is_gold and task.is_open and viewer_id is not None and task.annotator_id == viewer_id
            and suggestions_enabled(task.project))


class TokenText:
    """A document's tokens folded for the gazetteer: each token's folded form, and the runs of tokens
    written together (no space between: "Rusya" + "'nın"), which is what an entry's first word can be."""

    def __init__(self, text: str, tokens, language: str, inside_words: bool = False):
        self.text, self.tokens, self.language = text, tokens, language
        whole = fold_keeping_length(text, language)
        self.exact = whole is not None
        self.forms = [whole[s:e] for s, e in tokens] if whole is not None else [fold(text[s:e], language)
                                                                                 for s, e in tokens]
        self.runs: dict[str, list[int]] = defaultdict(list)  # a run's folded text → the tokens it starts at
        for i, form in enumerate(self.forms):
            run, j = form, i
            self.runs[run].append(i)
            while j + 1 < len(tokens) and j + 1 < i + MAX_TOKENS and tokens[j][1] == tokens[j + 1][0]:
                j += 1
                run += self.forms[j]
                self.runs[run].append(i)
            if inside_words and self.exact:
                for k in range(PREFIX_MIN, len(form)):
                    self.runs[form[:k]].append(i)

    def find(self, key: str, first: str, inside_words: bool = False) -> list[tuple[int, int]]:
        """Where `key` (whose first word is `first`) is written, from token edge to token edge; with
        inside_words, also as the beginning of a longer word."""
        found = []
        tokens, forms, text = self.tokens, self.forms, self.text
        for i in self.runs.get(first, ()):
            acc, j = forms[i], i
            while len(acc) < len(key) and j + 1 < len(tokens) and j + 1 < i + MAX_TOKENS * 2:
                gap = text[tokens[j][1]:tokens[j + 1][0]]
                j += 1
                acc += ("" if not gap else " " if gap.isspace() else fold(gap, self.language)) + forms[j]
            if acc == key:
                found.append((tokens[i][0], tokens[j][1]))
            elif inside_words and self.exact and " " not in key and len(key) >= PREFIX_MIN and \
                    forms[i].startswith(key) and len(forms[i]) > len(key):
                found.append((tokens[i][0], tokens[i][0] + len(key)))
        return found


def _in(column: str, values: list) -> tuple[str, list]:
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [values]
    return f"{column} IN ({', '.join(['%s'] * len(values))})", list(values)


def _rows(task: Task, firsts: list[str], hashes: list[str]) -> list[tuple]:
    q = connection.ops.quote_name
    table = {m: q(m._meta.db_table) for m in (Span, Event, Task, GazetteerEntry, RepeatedLine, SuggestionRejection,
                                               ProjectRejection)}
    users = q(get_user_model()._meta.db_table)
    start, end = q("start"), q("end")
    project = task.project
    parts, params = [], []
    if project.suggest_predictions:
        models = (f"JOIN {table[Task]} t ON t.id = x.task_id JOIN {users} u ON u.id = t.annotator_id "
                  "WHERE t.document_id = %s AND t.project_id = %s AND u.username LIKE %s AND u.password LIKE %s "
                  "AND (%s = '' OR u.username = %s)")
        for kind, model, label in ((0, Span, "label_id"), (1, Event, "event_type_id")):
            parts.append(f"SELECT {kind}, u.username, x.{label}, x.{start}, x.{end} FROM {table[model]} x {models}")
            # the model in use (a trained version, chosen on the Models page), else every model's sets
            params += [task.document_id, project.pk, "model:%", "!%", project.model_in_use,
                       f"model:{project.model_in_use}"]
    if project.suggest_gazetteer and firsts:
        where, values = _in("g.first", firsts)
        parts.append(f"SELECT 2, g.key, g.label_id, CASE WHEN g.owner_id IS NULL THEN 1 ELSE 0 END, 0 "
                     f"FROM {table[GazetteerEntry]} g WHERE g.project_id = %s AND (g.owner_id IS NULL OR "
                     f"g.owner_id = %s) AND {where}")
        params += [project.pk, task.annotator_id, *values]
    if project.suggest_repetition and hashes:
        where, values = _in("r.line_hash", hashes)
        parts.append(f"SELECT 3, r.line_hash, r.label_id, 0, 0 FROM {table[RepeatedLine]} r WHERE r.project_id = %s "
                     f"AND r.collection_id = %s AND {where}")
        params += [project.pk, task.document.collection_id, *values]
    if not parts:
        return []
    parts.append(f"SELECT 4, '', r.label_id, r.{start}, r.{end} FROM {table[SuggestionRejection]} r "
                 "WHERE r.task_id = %s")
    params.append(task.pk)
    parts.append(f"SELECT 5, r.key, r.label_id, 0, 0 FROM {table[ProjectRejection]} r WHERE r.project_id = %s")
    params.append(project.pk)
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        return cursor.fetchall()


def suggestions_for(task: Task, *, own, labels: dict, tokens=None) -> list[Suggestion]:
    """own: (label id, start, end) of what the task holds (spans and events); labels: id → Label of the
    project; tokens: the document's [start, end] pairs (read here when the gazetteer needs them)."""
    project, document = task.project, task.document
    text, language = document.text, document.language
    words = None
    if project.suggest_gazetteer:
        if tokens is None:
            packed = DocumentTokens.objects.packed_for(document.pk)
            tokens = unpack_token_lists(packed) if packed else []
        words = TokenText(text, tokens, language, project.gazetteer_inside_words)
    lines = {}
    if project.suggest_repetition:
        for a, b in lines_of(text):
            lines.setdefault(line_hash(text[a:b], language), []).append((a, b))
    rows = _rows(task, list(words.runs) if words else [], list(lines))
    rejected = {(label, a, b) for part, _t, label, a, b in rows if part == 4}
    # What a curator took out of a gold set: that label on that string, nowhere in the project.
    rejected_strings = {(label, key) for part, key, label, _a, _b in rows if part == 5}
    best: dict[tuple, tuple[int, Suggestion]] = {}

    def offer(rank: int, suggestion: Suggestion) -> None:
        label = labels.get(suggestion.label_id)
        if label is None or label.retired or (suggestion.label_id, suggestion.start, suggestion.end) in rejected:
            return
        if rejected_strings and (suggestion.label_id,
                                 fold(text[suggestion.start:suggestion.end], language)) in rejected_strings:
            return
        key = (suggestion.kind, suggestion.label_id, suggestion.start, suggestion.end)
        if key not in best or rank < best[key][0]:
            best[key] = (rank, suggestion)

    for part, name, label_id, a, b in rows:
        if part in (0, 1):
            offer(PRIORITY["model"], Suggestion("span" if part == 0 else "event", label_id, a, b, name))
        elif part == 2:
            for start, end in words.find(name, first_word(name), project.gazetteer_inside_words):
                offer(PRIORITY["gold" if a else "gazetteer"], Suggestion("span", label_id, start, end, "gazetteer"))
        elif part == 3:
            for start, end in lines.get(name, ()):
                offer(PRIORITY["repetition"], Suggestion("span", label_id, start, end, "repetition"))
    # Nothing is drawn over characters the annotator has marked in the same layer, whatever the labels.
    marked = defaultdict(list)
    for label_id, a, b in own:
        if label_id in labels:
            marked[labels[label_id].layer].append((a, b))
    out = [s for _rank, s in best.values()
           if not any(a < s.end and s.start < b for a, b in marked.get(labels[s.label_id].layer, ()))]
    out.sort(key=lambda s: (s.start, -s.end, s.label_id))
    return out
