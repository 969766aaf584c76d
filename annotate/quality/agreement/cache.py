"""Document tallies kept between reports: a report reads the project's submitted tasks, recomputes only
the documents whose sets changed since their tally was stored (a new submission, an edit after a reopen),
and sums the rest from the stored tallies."""

import hashlib
import json
from collections import Counter

from django.db import transaction

from annotate.bulk_rows import rows_insert
from annotate.models import DocumentAgreement
from annotate.quality.agreement.metrics import AlphaTally


def signature(owners: dict, schema_version: int = 0) -> str:
    """owners: task id -> (annotator, version, submitted at). The schema's version is part of it: a label
    renamed changes what every kept tally says."""
    text = f"{schema_version}|" + ";".join(f"{task}:{who}:{version}:{at.isoformat() if at else ''}"
                    for task, (who, version, at) in sorted(owners.items()))
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()


def tally_add_json(total, data: dict | str, sign: int = 1) -> None:
    """Add a stored tally to `total` (a DocumentTally) without building another one; sign=-1 takes it
    away (a document whose sets changed, or that is no longer shared). Counts that reach zero go."""
    if isinstance(data, str):
        data = json.loads(data)
    total.documents += sign * data["documents"]
    _add(total.annotators, data["annotators"].items(), sign)
    names = data.get("names")  # annotators by index (tallies kept before it named them in full)
    name = names.__getitem__ if names is not None else (lambda who: who)
    for layer, x, y, label, kind, n in data["spans"]:
        _add(total.spans[(layer, (name(x), name(y)))], [((label, kind), n)], sign)
    for layer, x, y, la, lb, n in data["confusion"]:
        _add(total.confusion[(layer, (name(x), name(y)))], [((la, lb), n)], sign)
    for layer, (disagreement, values) in data["alpha"].items():
        alpha = total.alpha.setdefault(layer, AlphaTally())
        alpha.disagreement += sign * disagreement
        _add(alpha.values, values.items(), sign)


def _add(counter: Counter, items, sign: int) -> None:
    for key, n in items:
        value = counter[key] + sign * n
        if value:
            counter[key] = value
        else:
            del counter[key]


def stored(project, documents) -> dict[int, tuple[str, dict]]:
    """The stored (signature, tally) of these documents."""
    rows = DocumentAgreement.objects.filter(project=project, document_id__in=documents)
    return {doc: (sig, tally) for doc, sig, tally in rows.values_list("document_id", "signature", "tally")}


def store(project, fresh: dict[int, tuple]) -> None:
    """Keep the tallies just computed: the documents' old rows deleted and the new ones copied in (COPY on
    PostgreSQL; an upsert sends each column as an array, whose text the adapter escapes row by row)."""
    if not fresh:
        return
    with transaction.atomic():
        DocumentAgreement.objects.filter(project=project, document_id__in=list(fresh)).delete()
        rows_insert(DocumentAgreement, ["project", "document", "signature", "tally", "score"],
                    ((project.pk, doc, sig, tally, score) for doc, (sig, tally, score) in fresh.items()))
