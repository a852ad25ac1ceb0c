"""A partner's Python client, generated from the OpenAPI document by openapi-python-client
exactly as the README tells partners to, and imported for the tests to drive."""

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import attrs

GENERATOR = Path(sys.executable).with_name("openapi-python-client")
PACKAGE = "itmj_partner_client"


@attrs.frozen
class GeneratedClient:
    root: Path
    output: str

    def module(self, name: str = "") -> ModuleType:
        """``module("api.jobs.create_job")``: a module of the generated package."""
        return importlib.import_module(f"{PACKAGE}.{name}" if name else PACKAGE)


def generate(document: dict, into: Path) -> GeneratedClient:
    """Generate the client of ``document`` under ``into`` and make it importable. The
    generator formats its output with ruff, found on PATH: the virtualenv's own."""
    spec = into / "openapi.json"
    spec.write_text(json.dumps(document))
    path = f"{GENERATOR.parent}{os.pathsep}{os.environ.get('PATH', '')}"
    done = subprocess.run(
        [str(GENERATOR), "generate", "--path", str(spec), "--output-path",
         str(into / PACKAGE), "--meta", "none"],
        env={**os.environ, "PATH": path},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    for name in [name for name in sys.modules if name.split(".")[0] == PACKAGE]:
        del sys.modules[name]
    sys.path.insert(0, str(into))
    importlib.invalidate_caches()
    return GeneratedClient(into, output)
