"""Start-up failures under gunicorn: one line on stderr, and an exit that stops the server.

Gunicorn builds the app in each worker. A worker that raised would log a traceback and be
replaced, and the next would fail the same way; one that exits with gunicorn's "app failed
to load" code (4) instead makes the master stop too, after the one line that says why.
"""

import sys
from collections.abc import Callable
from typing import NoReturn, TypeVar

from itmj_adapters.database_schema import DatabaseUnreachable, SchemaBehind
from itmj_adapters.extras import MissingExtra
from itmj_adapters.secret_box import SecretKeyError
from itmj_adapters.settings import SettingError

T = TypeVar("T")

# gunicorn.arbiter.Arbiter.APP_LOAD_ERROR: the master halts rather than start another worker.
APP_LOAD_ERROR = 4
# What the operator can fix before starting again: the configuration or a dependency.
STARTUP_ERRORS: tuple[type[Exception], ...] = (
    SettingError, SecretKeyError, MissingExtra, SchemaBehind, DatabaseUnreachable,
)


def built_or_exit(build: Callable[[], T]) -> T:
    """What ``build`` returns; on a start-up error, its one line and exit code 4."""
    try:
        return build()
    except STARTUP_ERRORS as error:
        stop(error)


def stop(error: Exception) -> NoReturn:
    sys.stderr.write("itmj: " + " ".join(str(error).split()) + "\n")
    sys.stderr.flush()
    raise SystemExit(APP_LOAD_ERROR)
