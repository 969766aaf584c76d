"""Train, dev and test splits from a stable hash of the document id: the same document is always in the same
split, whatever else is in the project, whichever run, on whichever machine (no random state, no order)."""

import hashlib

SPLITS = ("train", "dev", "test")
DEV_PERCENT = TEST_PERCENT = 10


def split_of(document_id: int) -> str:
    """'train' (80%), 'dev' (10%) or 'test' (10%) for a document, from SHA-256 of its id."""
    bucket = int.from_bytes(hashlib.sha256(f"haber-split:{int(document_id)}".encode()).digest()[:8], "big") % 100
    if bucket < TEST_PERCENT:
        return "test"
    if bucket < TEST_PERCENT + DEV_PERCENT:
        return "dev"
    return "train"
