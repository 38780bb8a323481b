"""Checkers run strictly in these tests: a slip of a checker's own code fails the test instead of becoming feedback."""

import pytest
from hypothesis import settings

from course_lib.exercises import core, engine


@pytest.fixture(autouse=True)
def strict_checkers(monkeypatch):
    monkeypatch.setattr(engine, "STRICT", True)
    core.reset_hints()


# Hypothesis keeps no example database in the working tree: every run is fresh and leaves nothing behind.
settings.register_profile("course", database=None)
settings.load_profile("course")
