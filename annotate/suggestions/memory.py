"""What the suggesters learn from a saved span: its string goes into the project's gazetteer (as the gold
set's when the task is a gold set, else as its annotator's), and a boilerplate span that covers whole lines
records those lines for the documents of the same collection. One INSERT each, and only when the project
has that suggester switched on; spans a model's import wrote do not teach anything."""

from annotate.models import GazetteerEntry, Layer, RepeatedLine

from .folding import first_word, fold, line_hash, lines_of


def span_remember(*, task, label, start: int, end: int) -> None:
    project, document = task.project, task.document
    text, language = document.text, document.language
    if project.suggest_gazetteer:
        key = fold(text[start:end], language)
        if key and len(key) <= 200:
            GazetteerEntry.objects.create(project_id=project.pk, owner_id=None if task.is_gold else task.annotator_id,
                                          key=key, first=first_word(key), label_id=label.pk)
    if project.suggest_repetition and label.layer == Layer.BOILERPLATE:
        covered = [(a, b) for a, b in lines_of(text) if start <= a and b <= end]
        RepeatedLine.objects.bulk_create([
            RepeatedLine(project_id=project.pk, collection_id=document.collection_id,
                         line_hash=line_hash(text[a:b], language), label_id=label.pk) for a, b in covered])
