"""The portable model: a tar.gz of the spaCy pipeline directory (nlp.to_disk) with the event-argument table,
kept in storage at models/<project>/<n>.tar.gz; the download gives this file as it is, and a prediction job
unpacks it into a temporary directory (a worker on another machine reads it from the shared storage)."""

import contextlib
import io
import json
import tarfile
import tempfile
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

ARGUMENTS_FILE = "haber_arguments.json"
USAGE = ("Docs as Haber's spaCy export (.spacy) builds them: its stored tokens, and whitespace beyond one space "
         "as tokens of its own (Doc(nlp.vocab, words=..., spaces=...), doc.text the stored text). Each recogniser "
         "runs on a fresh Doc: for name, pipe in nlp.pipeline: pipe(Doc(...)).ents. Chained as nlp(doc), a "
         "recogniser would take the entities of the one before it as fixed.")


def archive_save(nlp, *, name: str, arguments: dict, storage_path: str) -> str:
    """nlp and the arguments table, packed and saved; returns the storage path."""
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / name
        nlp.to_disk(target)
        (target / ARGUMENTS_FILE).write_text(json.dumps(arguments, ensure_ascii=False, indent=1), encoding="utf-8")
        buffer = io.BytesIO()
        with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
            tar.add(target, arcname=name)
        with contextlib.suppress(OSError):
            default_storage.delete(storage_path)
        return default_storage.save(storage_path, ContentFile(buffer.getvalue()))


@contextlib.contextmanager
def archive_opened(storage_path: str):
    """(nlp, arguments table) of a saved model, unpacked for as long as the block runs."""
    import spacy

    with tempfile.TemporaryDirectory() as folder, default_storage.open(storage_path, "rb") as stored:
        with tarfile.open(fileobj=stored, mode="r:gz") as tar:
            tar.extractall(folder, filter="data")
        [directory] = [p for p in Path(folder).iterdir() if p.is_dir()]
        nlp = spacy.load(directory)
        arguments = json.loads((directory / ARGUMENTS_FILE).read_text(encoding="utf-8"))
        yield nlp, arguments
