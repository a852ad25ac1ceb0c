"""A fresh virtual environment with the project installed from its files, not editable, so
that what tests there import is the package a consumer gets (``site-packages``), never ``src``.

One per run, shared by the tests that need it: the core install (no extras) plus mypy and
pytest, which bring no driver with them.
"""

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import attrs
import pytest

ROOT = Path(__file__).parents[2]
# What a built distribution is made from; copied so that the build leaves nothing in the tree.
_SOURCES = ["pyproject.toml", "README.md", "src"]


@attrs.frozen
class InstalledPackage:
    root: Path  # the virtual environment
    python: Path
    site_packages: Path

    def bin(self, name: str) -> Path:
        return self.python.parent / name

    def run(self, *args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
        """Run a command of the environment from ``cwd``, with none of this run's
        ``PYTHONPATH`` or ``ITMJ_*`` settings."""
        env = {
            key: value for key, value in os.environ.items()
            if key != "PYTHONPATH" and not key.startswith("ITMJ_")
        }
        return subprocess.run(
            [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True,
            timeout=300, check=False,
        )


@pytest.fixture(scope="session")
def installed_package(tmp_path_factory: pytest.TempPathFactory) -> InstalledPackage:
    base = tmp_path_factory.mktemp("installed")
    source = base / "source"
    for name in _SOURCES:
        origin = ROOT / name
        if origin.is_dir():
            shutil.copytree(
                origin, source / name,
                ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"),
            )
        else:
            source.mkdir(exist_ok=True)
            shutil.copy2(origin, source / name)
    root = base / "venv"
    venv.create(root, with_pip=True)
    python = root / "bin" / "python"
    install = subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         str(source), "mypy", "pytest"],
        capture_output=True, text=True, timeout=600, check=False,
    )
    assert install.returncode == 0, install.stdout + install.stderr
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()
    assert sysconfig.get_path("purelib") != purelib and sys.prefix != str(root)
    return InstalledPackage(root, python, Path(purelib))
