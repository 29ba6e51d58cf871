"""Suite-wide fixtures."""

import logging

import pytest


@pytest.fixture(autouse=True)
def _restore_logging():
    """Give every test the logging setup it started with.

    In-process ``fh-sim`` runs let Hydra attach handlers to the streams pytest captures;
    left in place they would write to closed streams in later tests.
    """
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in root.handlers:
        if handler not in handlers:
            root.removeHandler(handler)
    for handler in handlers:
        if handler not in root.handlers:
            root.addHandler(handler)
    root.setLevel(level)
