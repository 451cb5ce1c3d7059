"""The demo visits a newcomer sees first (``protocol-app demo``)."""

from __future__ import annotations

from protocol_app.resources import resources_root


def demo_package_paths() -> list:
    """The bundled demo packages, in a stable order."""
    return sorted((resources_root() / "demo").glob("*.json"))


def load_demo(services) -> list:
    """Import every bundled demo package; returns their import reports."""
    return [services.packages.import_file(path) for path in demo_package_paths()]
