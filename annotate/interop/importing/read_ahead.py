"""An iterator whose next item can be read early, while the caller waits on something else."""

_NOTHING = object()


class ReadAhead:
    """Iterates `iterator`; calling it reads the next item now (once), to be returned by the next `next()`.
    An annotation import calls it while PostgreSQL stores a batch's spans, so that the next batch of sets is
    parsed and checked meanwhile (bulk_rows.rows_copy_text's `meanwhile`)."""

    def __init__(self, iterator):
        self._iterator, self._next = iterator, _NOTHING

    def __iter__(self):
        return self

    def __next__(self):
        item, self._next = self._next, _NOTHING
        return next(self._iterator) if item is _NOTHING else item

    def __call__(self) -> None:
        if self._next is _NOTHING:
            self._next = next(self._iterator, _NOTHING)  # an exhausted iterator stays exhausted
