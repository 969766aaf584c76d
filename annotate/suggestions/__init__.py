"""Suggestions in the annotation page (issue #18): marks the annotator did not make, drawn apart from their
own, accepted or rejected with one key.

- folding: how strings and lines are compared (Turkish İ/ı, case, apostrophes, spaces);
- compute: a task's suggestions, from the model predictions imported for its document, the project's
  gazetteer and its repeated boilerplate lines, in one query, minus what the annotator has or rejected;
- memory: what the gazetteer and the repeated lines learn from every saved span;
- actions: accept, reject and accept-all as changes of the task (history, undo), for annotation_apply."""

from annotate.suggestions.compute import Suggestion, suggestions_enabled, suggestions_for, suggestions_shown

__all__ = ["Suggestion", "suggestions_enabled", "suggestions_for", "suggestions_shown"]
