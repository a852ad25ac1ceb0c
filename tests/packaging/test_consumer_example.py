"""The consumer example (examples/consumer) against the installed package, as another team's
application would be: mypy --strict finds no error (py.typed, public names only) and its
tests pass. Both run from a copy of the example outside the repository, so neither ``src``
nor this project's mypy and pytest settings are in reach.
"""

import ast
import shutil
from pathlib import Path

import pytest

from tests.packaging.conftest import ROOT, InstalledPackage

EXAMPLE = ROOT / "examples" / "consumer"
PUBLIC_PACKAGES = {"itmj_domain", "itmj_adapters"}


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("consumer") / "consumer"
    shutil.copytree(EXAMPLE, copy, ignore=shutil.ignore_patterns("__pycache__", ".*cache"))
    return copy


def test_the_package_imported_is_the_installed_one(
    installed_package: InstalledPackage, example: Path
):
    found = installed_package.run(
        installed_package.python, "-c",
        "import itmj_domain, itmj_adapters, itmj_adapters.testing; "
        "print(itmj_domain.__file__); print(itmj_adapters.__file__)",
        cwd=example,
    )
    assert found.returncode == 0, found.stderr
    for line in found.stdout.splitlines():
        assert Path(line).is_relative_to(installed_package.site_packages), line
    for package in ("itmj_domain", "itmj_adapters"):
        assert (installed_package.site_packages / package / "py.typed").is_file()


def test_the_example_type_checks_strictly(installed_package: InstalledPackage, example: Path):
    checked = installed_package.run(
        installed_package.bin("mypy"), "--strict", "--no-incremental", ".", cwd=example
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "Success: no issues found" in checked.stdout


def test_the_examples_tests_pass(installed_package: InstalledPackage, example: Path):
    tested = installed_package.run(
        installed_package.python, "-m", "pytest", "-q", "-p", "no:cacheprovider", ".",
        cwd=example,
    )
    assert tested.returncode == 0, tested.stdout + tested.stderr
    assert "4 passed" in tested.stdout


def test_the_example_imports_only_public_names():
    """From the library, only ``itmj_domain`` and ``itmj_adapters`` themselves: never a
    module inside them, whose paths are internal."""
    for path in EXAMPLE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                top = node.module.split(".")[0]
                if top in PUBLIC_PACKAGES:
                    assert node.module in PUBLIC_PACKAGES, f"{path.name}: {node.module}"
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.split(".")[0] in PUBLIC_PACKAGES:
                        assert alias.name in PUBLIC_PACKAGES, f"{path.name}: {alias.name}"
