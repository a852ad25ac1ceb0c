"""Committed contract snapshots (SPEC §9: v1 is frozen).

A snapshot is JSON text under tests/contract_snapshots/. A test fails when what the app says
differs from it, showing a unified diff; it is rewritten only on purpose, with
``ITMJ_UPDATE_SNAPSHOTS=1 scripts/test tests/snapshots``, and the change is then reviewed in
the commit's diff like any other.
"""

import difflib
import json
import os
from pathlib import Path

import pytest

SNAPSHOTS = Path(__file__).parents[1] / "contract_snapshots"
UPDATING = os.environ.get("ITMJ_UPDATE_SNAPSHOTS") == "1"
UPDATE_COMMAND = "ITMJ_UPDATE_SNAPSHOTS=1 scripts/test tests/snapshots"


def render(value: object) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


def assert_matches_snapshot(name: str, value: object) -> None:
    path = SNAPSHOTS / name
    actual = render(value)
    if UPDATING:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text(encoding="utf-8") != actual:
            path.write_text(actual, encoding="utf-8")
        return
    if not path.exists():
        pytest.fail(f"no snapshot {name}: if this answer is new on purpose, run "
                    f"`{UPDATE_COMMAND}` and commit the file", pytrace=False)
    committed = path.read_text(encoding="utf-8")
    if committed != actual:
        diff = "".join(difflib.unified_diff(
            committed.splitlines(keepends=True), actual.splitlines(keepends=True),
            f"committed/{name}", f"actual/{name}",
        ))
        pytest.fail(
            f"the v1 contract changed ({name}). A breaking change belongs under /api/v2; an "
            f"intended additive one is recorded with `{UPDATE_COMMAND}`.\n{diff}",
            pytrace=False,
        )


def remove_stale(directory: str, keep: set[str]) -> list[str]:
    """The snapshot files in ``directory`` nothing produces any more; deleted when updating."""
    stale = sorted(p.name for p in (SNAPSHOTS / directory).glob("*.json") if p.name not in keep)
    if UPDATING:
        for name in stale:
            (SNAPSHOTS / directory / name).unlink()
        return []
    return stale
