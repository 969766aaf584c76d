"""The project with gold sets that the object-store test releases."""

from tests.release_fixtures import releasable, trainable  # noqa: F401
