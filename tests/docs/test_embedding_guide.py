"""The embedding guide (docs/embedding.md) runs: every ```python block, followed by a ```text
block of what it prints, runs on its own in a fresh namespace and must print exactly that.

The PostgreSQL example meets the test database (``ITMJ_TEST_DATABASE_URL``), emptied first,
through the variables the guide tells an embedder to set.
"""

import contextlib
import io
from pathlib import Path

import pytest

from tests.docs.markdown import Block, blocks, examples
from tests.secret_keys import TEST_SECRET_KEYS

ROOT = Path(__file__).parents[2]
GUIDE_PATH = ROOT / "docs" / "embedding.md"
GUIDE = GUIDE_PATH.read_text(encoding="utf-8")
POSTGRES = "On PostgreSQL"

EXAMPLES = examples(blocks(GUIDE))


def _id(example: tuple[Block, Block]) -> str:
    return example[0].section.lower().replace(" ", "-")


def test_the_guide_covers_what_an_embedder_needs():
    sections = {code.section for code, _ in EXAMPLES}
    assert {
        "Building the services in memory", POSTGRES, "Testing with the kit",
        "Which names are stable",
    } <= sections
    headings = {
        line.removeprefix("## ") for line in GUIDE.splitlines() if line.startswith("## ")
    }
    assert {"Periodic work in-process", "Closing the services"} <= headings


@pytest.mark.parametrize("example", EXAMPLES, ids=[_id(e) for e in EXAMPLES])
def test_each_example_prints_what_the_guide_says(
    example: tuple[Block, Block], request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
):
    code, output = example
    for name in ("ITMJ_DATABASE_URL", "ITMJ_REDIS_URL", "ITMJ_ELASTICSEARCH_URL",
                 "ITMJ_SMTP_URL", "ITMJ_SECRET_KEYS"):
        monkeypatch.delenv(name, raising=False)
    if code.section == POSTGRES:
        monkeypatch.setenv("ITMJ_DATABASE_URL", request.getfixturevalue("clean_database"))
        monkeypatch.setenv("ITMJ_SECRET_KEYS", TEST_SECRET_KEYS)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code.text, str(GUIDE_PATH), "exec"), {"__name__": "guide_example"})
    assert printed.getvalue() == output.text

