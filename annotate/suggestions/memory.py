"""What the suggesters learn from saved spans: each span's string goes into the project's gazetteer (as the
gold set's when the task is a gold set, else as its annotator's), and a boilerplate span that covers whole
lines records those lines for the documents of the same collection. A string or line already known is not
written again (unique constraints, INSERT … ON CONFLICT DO NOTHING), so the tables grow with what is
distinct, not with every mark. At most one INSERT per table for a change, however many spans it adds, and
only when the project has that suggester on; spans a model's import wrote do not teach anything."""

from annotate.models import GazetteerEntry, Layer, RepeatedLine
from annotate.suggestions.folding import first_word, fold, line_hash, lines_of


def spans_remember(*, task, spans) -> None:
    """spans: (Label, start, end) of what a change added."""
    project, document = task.project, task.document
    text, language = document.text, document.language
    owner = None if task.is_gold else task.annotator_id
    entries, lines = [], []
    for label, start, end in spans:
        key = fold(text[start:end], language)
        if project.suggest_gazetteer and key and len(key) <= 200:
            entries.append(GazetteerEntry(project_id=project.pk, owner_id=owner, key=key, first=first_word(key),
                                          label_id=label.pk))
        if project.suggest_repetition and label.layer == Layer.BOILERPLATE:
            lines += [RepeatedLine(project_id=project.pk, collection_id=document.collection_id,
                                   line_hash=line_hash(text[a:b], language), label_id=label.pk)
                      for a, b in lines_of(text) if start <= a and b <= end]
    for model, rows in ((GazetteerEntry, entries), (RepeatedLine, lines)):
        if rows:
            model.objects.bulk_create(rows, ignore_conflicts=True)
