"""The report's filters, as the page, the CSV and the API take them: a collection of the project and the
dates the sets were submitted (YYYY-MM-DD). A bad value is a message, never a 500."""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class ReportFilter:
    collection: object = None
    finished_from: dt.date | None = None
    finished_to: dt.date | None = None

    def as_kwargs(self) -> dict:
        return {"collection": self.collection, "finished_from": self.finished_from, "finished_to": self.finished_to}

    def query(self) -> str:
        parts = []
        if self.collection is not None:
            parts.append(f"collection={self.collection.slug}")
        if self.finished_from:
            parts.append(f"from={self.finished_from.isoformat()}")
        if self.finished_to:
            parts.append(f"to={self.finished_to.isoformat()}")
        return "&".join(parts)


def _date(params, name: str) -> dt.date | None:
    value = (params.get(name) or "").strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        raise ValidationError(_("`%(name)s` must be a date like 2026-11-28, not %(value)r.") % {
            "name": name, "value": value[:40]}) from None


def report_filter(project, params) -> ReportFilter:
    """The filter from query parameters; ValidationError naming the bad one."""
    collection = None
    slug = (params.get("collection") or "").strip()
    if slug:
        collection = project.collections.filter(slug=slug).first()
        if collection is None:
            raise ValidationError(_("`collection` %(slug)r is not one of this project's collections.") % {
                "slug": slug[:60]})
    start, end = _date(params, "from"), _date(params, "to")
    if start and end and start > end:
        raise ValidationError(_("`from` is after `to`."))
    return ReportFilter(collection, start, end)
