"""The README's examples run, and the README and the partner guide point only at what a clone
of the repository has.

Under "Embedding the domain" every ```python block is followed by a ```text block with what
it prints; each runs on its own, in a fresh namespace, and must print exactly that. The
embedding guide's own examples are run by ``test_embedding_guide``.
"""

import contextlib
import io
import re
from pathlib import Path

import pytest

from tests.docs.markdown import Block, blocks, examples, links, prose

ROOT = Path(__file__).parents[2]
README_PATH = ROOT / "README.md"
README = README_PATH.read_text(encoding="utf-8")
GUIDE_PATH = ROOT / "docs" / "partner-guide.md"
EMBEDDING_GUIDE_PATH = ROOT / "docs" / "embedding.md"
EMBEDDING = "Embedding the domain"


def _examples() -> list[tuple[Block, Block]]:
    return examples([b for b in blocks(README) if b.section == EMBEDDING])


def test_the_embedding_section_has_examples():
    assert _examples()


@pytest.mark.parametrize(
    "example", _examples(), ids=[f"example-{n}" for n in range(1, len(_examples()) + 1)]
)
def test_each_embedding_example_prints_what_the_readme_says(example):
    code, output = example
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code.text, str(README_PATH), "exec"), {"__name__": "readme_example"})
    assert printed.getvalue() == output.text


def test_the_readme_points_partners_to_the_guide():
    assert "docs/partner-guide.md" in links(README)


def test_the_readme_points_embedders_to_their_guide():
    assert "docs/embedding.md" in links(README)


@pytest.mark.parametrize("path", [README_PATH, GUIDE_PATH], ids=lambda p: p.name)
def test_neither_points_to_the_specification_beside_the_repository(path: Path):
    """A clone has no ``../shared``: the guide is the partners' contract."""
    assert "../shared" not in path.read_text(encoding="utf-8")


def _anchor(heading: str) -> str:
    """The anchor GitHub gives a heading."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


@pytest.mark.parametrize(
    "path", [README_PATH, GUIDE_PATH, EMBEDDING_GUIDE_PATH], ids=lambda p: p.name
)
def test_every_relative_link_reaches_a_file_or_a_heading(path: Path):
    text = path.read_text(encoding="utf-8")
    headings = {
        _anchor(match) for match in re.findall(r"^#{1,6} (.+)$", prose(text), re.MULTILINE)
    }
    for link in links(text):
        if re.match(r"[a-z]+:", link):
            continue
        target, _, anchor = link.partition("#")
        if not target:
            assert anchor in headings, f"{path.name}: no heading for {link}"
            continue
        resolved = (path.parent / target).resolve()
        assert resolved.is_relative_to(ROOT) and resolved.exists(), f"{path.name}: {link}"
