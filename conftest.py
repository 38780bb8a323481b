"""Repository-wide pytest configuration.

nbval compares stored notebook outputs with fresh ones. stderr never matches
under pytest (TensorFlow's start-up lines, warnings with temporary paths), so
it is excluded from the comparison for every notebook.
"""


def pytest_collectstart(collector):
    if hasattr(collector, "skip_compare"):
        collector.skip_compare = collector.skip_compare + ("stderr",)
