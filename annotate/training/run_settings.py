"""A training run's settings (the API's `settings`, kept on the run): apart from the spaCy code, so that the
web processes, which read and check them, never load spaCy."""

from dataclasses import dataclass


@dataclass
class TrainSettings:
    max_epochs: int = 12
    patience: int = 3  # epochs without a better dev F1 before stopping
    max_seconds: float = 13 * 60  # no epoch starts that would not end within this (the 15-minute limit)
    batch_words: int = 1000  # words per update (about two wire articles; a batch holds whole documents)
    dropout: float = 0.1
    width: int = 64  # the CNN's width; depth 2, 2,000 hashed rows per feature
    depth: int = 2
    seed: int = 0

    def as_dict(self) -> dict:
        return dict(self.__dict__)
