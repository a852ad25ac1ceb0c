"""The core install, for real: a fresh venv, ``pip install`` of this checkout without extras,
then a program that builds the in-memory services and runs use cases in it (core_program.py).

Nothing is cached between runs: the venv, the copy of the project and pip's cache are made
anew in the test's own directory, so a dependency missing from the core list fails here.
"""

import json
import shutil
import subprocess
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROGRAM = Path(__file__).with_name("core_program.py")


def _pip_install(python: Path, project: Path, tmp_path: Path) -> None:
    subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "--no-cache-dir", "--disable-pip-version-check",
         str(project)],
        check=True, cwd=tmp_path, capture_output=True, text=True,
    )


def _copy_of_the_project(tmp_path: Path) -> Path:
    """What a source distribution holds, without the checkout's build leftovers (an
    egg-info, caches), which pip would otherwise build from in place."""
    project = tmp_path / "project"
    project.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, project / name)
    shutil.copytree(
        ROOT / "src", project / "src",
        ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"),
    )
    return project


def test_the_core_install_builds_in_memory_services_without_a_driver(tmp_path):
    environment = tmp_path / "venv"
    venv.create(environment, with_pip=True)
    python = environment / "bin" / "python"
    try:
        _pip_install(python, _copy_of_the_project(tmp_path), tmp_path)
    except subprocess.CalledProcessError as failed:
        raise AssertionError(failed.stderr) from failed
    installed = subprocess.run(
        [python, "-m", "pip", "list", "--format=json"], check=True, capture_output=True, text=True
    )
    names = {p["name"].lower() for p in json.loads(installed.stdout)}
    assert not names & {"psycopg", "redis", "rq", "elasticsearch", "falcon", "argon2-cffi"}

    ran = subprocess.run(
        [python, PROGRAM], cwd=tmp_path, capture_output=True, text=True, check=False,
        env={"PATH": str(environment / "bin")},
    )
    assert ran.returncode == 0, ran.stderr
    report = json.loads(ran.stdout)

    assert report["status"] == "Active"
    assert report["expired"] == [1]
    assert report["webhooks"] == ["job.expired"]
    assert report["drivers"] == []
    for extra in ("postgres", "redis", "elasticsearch"):
        assert report[extra].endswith(f"is not installed: pip install 'itmj-platform[{extra}]'")
    assert report["hasher"].endswith("pip install 'itmj-platform[http]'")

    itmj = environment / "bin" / "itmj"
    for argv, environ, extra in (
        (["db", "migrate"], {"ITMJ_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/x"},
         "postgres"),
        (["serve", "--bind", "127.0.0.1:1"], {}, "http"),
        (["worker"], {"ITMJ_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/x",
                      "ITMJ_REDIS_URL": "redis://127.0.0.1:1/0"}, "postgres"),
    ):
        command = subprocess.run(
            [itmj, *argv], cwd=tmp_path, capture_output=True, text=True, check=False,
            env={"PATH": str(environment / "bin"), **environ},
        )
        assert command.returncode == 1, (argv, command.stderr)
        assert command.stderr.splitlines()[-1] == (
            f"itmj: {report[extra]}" if extra != "http"
            else "itmj: HTTP support (the API, the portal, its password hashes and uploaded "
            "CVs) is not installed: pip install 'itmj-platform[http]'"
        ), argv
