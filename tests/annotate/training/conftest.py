from tests.training_fixtures import trainable  # noqa: F401
