"""Writes to the corpus: keyword-only, atomic functions named <thing>_<action>."""

from .collections import collection_create
from .importing import ImportReport, documents_import

__all__ = ["ImportReport", "collection_create", "documents_import"]
