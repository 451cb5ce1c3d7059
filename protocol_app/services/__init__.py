"""The service layer: the only way into the records.

Open everything at once with :meth:`Services.open`; each service method runs in its own
session and returns frozen values from :mod:`protocol_app.services.values`.

The container is loaded on first use (PEP 562), so that importing the light
``protocol_app.services.values`` does not import SQLAlchemy: the desktop app paints its
window before the database layer loads.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from protocol_app.services.container import PackageService, Services

__all__ = ["PackageService", "Services"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from protocol_app.services import container

        return getattr(container, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
