"""Which documents an assignment covers: the project's collections, narrowed by collection, language,
publication dates and search text. Checked against the project before anything is written."""

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from annotate.permissions import collections_check
from corpus.models import Document


@dataclass
class DocumentFilter:
    collections: list[str] = field(default_factory=list)  # slugs; empty: all of the project's collections
    language: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    search: str = ""

    def describe(self) -> str:
        parts = [f"collections {', '.join(self.collections)}" if self.collections else "all collections"]
        if self.language:
            parts.append(f"language {self.language}")
        if self.date_from or self.date_to:
            parts.append(f"published {self.date_from or '…'} to {self.date_to or '…'}")
        if self.search:
            parts.append(f"matching {self.search!r}")
        return ", ".join(parts)

    def validate(self, project, user=None) -> list:
        """The project's collections this selection covers; ValidationError naming what is wrong, and
        (when a person asks) PermissionDenied for a collection they may not read."""
        allowed = {c.slug: c for c in project.collections.all()}
        unknown = [s for s in self.collections if s not in allowed]
        if unknown:  # the same words whether or not such a collection exists elsewhere
            raise ValidationError([f"collection {s!r} is not one of project {project.slug}'s collections"
                                   for s in unknown])
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValidationError("The date range ends before it begins.")
        chosen = [allowed[s] for s in self.collections] if self.collections else list(allowed.values())
        if user is not None:
            collections_check(user, chosen)
        return chosen

    def apply(self, queryset, prefix: str = ""):
        """The language and date filters on any queryset that reaches a document through `prefix`."""
        if self.language:
            queryset = queryset.filter(**{f"{prefix}language": self.language})
        if self.date_from:
            queryset = queryset.filter(**{f"{prefix}published_on__gte": self.date_from})
        if self.date_to:
            queryset = queryset.filter(**{f"{prefix}published_on__lte": self.date_to})
        return queryset

    def documents(self, project, user=None):
        """The matching documents of the project, or ValidationError naming what is wrong."""
        chosen = self.validate(project, user)
        if not chosen:
            raise ValidationError(f"Project {project.slug} has no collections yet; add one first.")
        return self.apply(Document.objects.filter(collection__in=chosen)).search(self.search)
