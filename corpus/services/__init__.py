"""Writes to the corpus: keyword-only, atomic functions named <thing>_<action>."""

from .collections import collection_create
from .importing import ImportReport, documents_import
from .retokenizing import RetokenizeReport, documents_retokenize
from .tokenized import TokenizedText, documents_create_tokenized

__all__ = ["ImportReport", "RetokenizeReport", "TokenizedText", "collection_create", "documents_create_tokenized", "documents_import", "documents_retokenize"]
