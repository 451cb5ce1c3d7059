"""The test suite (a package, so that ``tests/ui`` is ``tests.ui`` and never hides ``ui``)."""
