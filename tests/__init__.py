"""The test suite (a package, so that ``ui`` is always this checkout's, never tests/ui)."""
