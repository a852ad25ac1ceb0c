"""Adapters: implementations of the domain's ports, and the composition root that picks them.

The names in ``__all__`` are the public API, stable under semantic versioning like
``itmj_domain``'s (see ``docs/embedding.md``): ``build_services`` and what it returns and
takes (``Services``, ``Settings``, ``Mode``) and what it may raise (``SchemaBehind``,
``MissingExtra``), ``migrate`` for a PostgreSQL database, and the testing kit (also
importable as ``itmj_adapters.testing``). Every other module is internal: the adapters
themselves are reached through ``build_services``, never imported by path.

The names load on first use, so importing ``itmj_adapters.settings`` (as the HTTP edge does)
loads no backend, and ``migrate`` needs the ``[postgres]`` extra only when it is used.
"""

import contextlib
import importlib
from typing import TYPE_CHECKING

from itmj_adapters.extras import requires

if TYPE_CHECKING:
    from itmj_adapters.composition import Services as Services
    from itmj_adapters.composition import build_services as build_services
    from itmj_adapters.database_schema import SchemaBehind as SchemaBehind
    from itmj_adapters.extras import MissingExtra as MissingExtra
    from itmj_adapters.postgres.migrations import migrate as migrate
    from itmj_adapters.settings import Mode as Mode
    from itmj_adapters.settings import Settings as Settings
    from itmj_adapters.testing import CONNECTION_REFUSED as CONNECTION_REFUSED
    from itmj_adapters.testing import TIMED_OUT as TIMED_OUT
    from itmj_adapters.testing import ManualClock as ManualClock
    from itmj_adapters.testing import NotAManualClock as NotAManualClock
    from itmj_adapters.testing import RecordingNotifier as RecordingNotifier
    from itmj_adapters.testing import RecordingSender as RecordingSender
    from itmj_adapters.testing import SentEmail as SentEmail
    from itmj_adapters.testing import run_due as run_due

# Where each public name lives: (module, name there).
_HOMES: dict[str, tuple[str, str]] = {
    "Services": ("itmj_adapters.composition", "Services"),
    "build_services": ("itmj_adapters.composition", "build_services"),
    "SchemaBehind": ("itmj_adapters.database_schema", "SchemaBehind"),
    "MissingExtra": ("itmj_adapters.extras", "MissingExtra"),
    "Mode": ("itmj_adapters.settings", "Mode"),
    "Settings": ("itmj_adapters.settings", "Settings"),
    "migrate": ("itmj_adapters.postgres.migrations", "migrate"),
    # The testing kit
    "CONNECTION_REFUSED": ("itmj_adapters.testing", "CONNECTION_REFUSED"),
    "TIMED_OUT": ("itmj_adapters.testing", "TIMED_OUT"),
    "ManualClock": ("itmj_adapters.testing", "ManualClock"),
    "NotAManualClock": ("itmj_adapters.testing", "NotAManualClock"),
    "RecordingNotifier": ("itmj_adapters.testing", "RecordingNotifier"),
    "RecordingSender": ("itmj_adapters.testing", "RecordingSender"),
    "SentEmail": ("itmj_adapters.testing", "SentEmail"),
    "run_due": ("itmj_adapters.testing", "run_due"),
}

__all__ = [
    "CONNECTION_REFUSED",
    "TIMED_OUT",
    "ManualClock",
    "MissingExtra",
    "Mode",
    "NotAManualClock",
    "RecordingNotifier",
    "RecordingSender",
    "SchemaBehind",
    "SentEmail",
    "Services",
    "Settings",
    "build_services",
    "migrate",
    "run_due",
]

if not TYPE_CHECKING:
    # Hidden from type checkers, which would otherwise take any misspelt name for an object.

    def __getattr__(name: str) -> object:
        try:
            module, attribute = _HOMES[name]
        except KeyError:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
        # migrate() is the one name that needs a driver: without it, the extra is named.
        extra = "postgres" if module.startswith("itmj_adapters.postgres") else None
        with requires(extra) if extra else contextlib.nullcontext():
            value = getattr(importlib.import_module(module), attribute)
        globals()[name] = value
        return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
