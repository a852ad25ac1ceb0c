"""A partner's Python client, generated from the OpenAPI document by openapi-python-client
with the very command the partner guide gives, and imported for the tests to drive."""

import importlib
import json
import os
import shlex
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import attrs

from tests.docs.markdown import blocks
from tests.docs.test_partner_guide import GUIDE

GENERATOR = Path(sys.executable).with_name("openapi-python-client")


def _guide_command() -> list[str]:
    """The guide's ``openapi-python-client generate …`` line, as words."""
    [line] = [line for block in blocks(GUIDE) if block.language == "sh"
              for line in block.text.splitlines()
              if line.startswith("openapi-python-client generate ")]
    return shlex.split(line)


COMMAND = _guide_command()
# The package the guide's command writes, and its examples import.
PACKAGE = COMMAND[COMMAND.index("--output-path") + 1]


@attrs.frozen
class GeneratedClient:
    root: Path
    output: str

    def module(self, name: str = "") -> ModuleType:
        """``module("api.jobs.create_job")``: a module of the generated package."""
        return importlib.import_module(f"{PACKAGE}.{name}" if name else PACKAGE)

    def forget(self) -> None:
        """Make the package unimportable again, as it was before ``generate``."""
        sys.path.remove(str(self.root))
        _unload()


def _unload() -> None:
    for name in [name for name in sys.modules if name.split(".")[0] == PACKAGE]:
        del sys.modules[name]


def generate(document: dict, into: Path) -> GeneratedClient:
    """Generate the client of ``document`` under ``into`` and make it importable until
    ``forget``. The generator formats its output with ruff, found on PATH: the virtualenv's
    own."""
    spec = COMMAND[COMMAND.index("--path") + 1]
    (into / spec).write_text(json.dumps(document))
    path = f"{GENERATOR.parent}{os.pathsep}{os.environ.get('PATH', '')}"
    done = subprocess.run(
        [str(GENERATOR), *COMMAND[1:]],
        cwd=into,
        env={**os.environ, "PATH": path},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    _unload()
    sys.path.insert(0, str(into))
    importlib.invalidate_caches()
    return GeneratedClient(into, output)
