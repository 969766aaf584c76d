"""ReadAhead: reading early changes when an item is read, never which items come or in what order."""

import pytest

from annotate.interop.importing.read_ahead import ReadAhead


def test_items_read_early_come_in_order_once():
    read = []

    def items():
        for i in range(3):
            read.append(i)
            yield i

    ahead = ReadAhead(items())
    assert next(ahead) == 0 and read == [0]
    ahead()
    ahead()  # a second call before next() reads nothing more
    assert read == [0, 1]
    assert list(ahead) == [1, 2]


def test_reading_past_the_end_early_ends_the_iteration():
    ahead = ReadAhead(iter([7]))
    ahead()
    assert next(ahead) == 7
    ahead()
    with pytest.raises(StopIteration):
        next(ahead)
