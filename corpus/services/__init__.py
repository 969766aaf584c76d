"""Writes to the corpus: keyword-only, atomic functions named <thing>_<action>."""

from .collections import collection_create
from .importing import ImportReport, documents_import
from .tokenized import TokenizedText, documents_create_tokenized

__all__ = ["ImportReport", "TokenizedText", "collection_create", "documents_create_tokenized", "documents_import"]
