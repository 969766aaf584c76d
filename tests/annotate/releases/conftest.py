from tests.release_fixtures import releasable, trainable  # noqa: F401
