"""The command's output convention: JSON on stdout, or one line on stderr and an exit code.

Scripts and acceptance tests read the output, so success is always one JSON document and a
failure always exactly one line, whatever went wrong.
"""

import json
import sys
from typing import Any

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


class UsageError(Exception):
    """The command line itself is wrong (exit 2)."""


class CommandError(Exception):
    """The command was well formed but cannot be carried out (exit 1)."""


def print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value) + "\n")
    sys.stdout.flush()


def print_error(message: str) -> None:
    """Write ``message`` as exactly one line, however many lines it came with."""
    sys.stderr.write(" ".join(message.split()) + "\n")
    sys.stderr.flush()
