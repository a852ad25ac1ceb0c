"""Just enough Markdown for the documentation tests: fenced blocks with the section they are
in, inline code outside them, sections and table rows.

A fence's info string is the language and, for the guide's examples, a tag: ```` ```json Job ````
is a JSON example of the OpenAPI schema ``Job``. Renderers show only the language.
"""

import re
from collections.abc import Iterator

import attrs

_FENCE = re.compile(r"^```(.*)$")
_HEADING = re.compile(r"^(#{1,6}) (.+?)\s*$")
_INLINE_CODE = re.compile(r"`([^`\n]+)`")
_LINK = re.compile(r"\]\(([^)\s]+)\)")


@attrs.frozen
class Block:
    language: str
    tag: str | None
    text: str
    section: str  # the nearest heading above the block


def blocks(markdown: str) -> list[Block]:
    found: list[Block] = []
    section = ""
    opened: tuple[list[str], list[str]] | None = None
    for line in markdown.splitlines():
        fence = _FENCE.match(line)
        if opened is not None:
            if fence and not fence.group(1).strip():
                info, body = opened
                found.append(Block(info[0] if info else "", info[1] if len(info) > 1 else None,
                                   "\n".join(body) + "\n", section))
                opened = None
            else:
                opened[1].append(line)
        elif fence:
            opened = (fence.group(1).split(), [])
        elif heading := _HEADING.match(line):
            section = heading.group(2)
    if opened is not None:
        raise ValueError(f"a fenced block in {section!r} is never closed")
    return found


def prose(markdown: str) -> str:
    """The text outside fenced blocks."""
    kept: list[str] = []
    inside = False
    for line in markdown.splitlines():
        if _FENCE.match(line):
            inside = not inside
        elif not inside:
            kept.append(line)
    return "\n".join(kept)


def inline_code(markdown: str) -> list[str]:
    return _INLINE_CODE.findall(prose(markdown))


def links(markdown: str) -> list[str]:
    return _LINK.findall(prose(markdown))


def section(markdown: str, title: str) -> str:
    """The prose under the heading ``title``, up to the next heading of its level or above."""
    lines = prose(markdown).splitlines()
    for start, line in enumerate(lines):
        heading = _HEADING.match(line)
        if heading and heading.group(2) == title:
            level = len(heading.group(1))
            body: list[str] = []
            for following in lines[start + 1:]:
                inner = _HEADING.match(following)
                if inner and len(inner.group(1)) <= level:
                    break
                body.append(following)
            return "\n".join(body)
    raise LookupError(f"no section {title!r}")


def table_rows(text: str) -> Iterator[list[str]]:
    """The cells of every table row in ``text``, header rows included, separators not."""
    for raw in text.splitlines():
        line = raw.strip()
        if not (line.startswith("|") and line.endswith("|")):
            continue
        cells = [cell.strip() for cell in line[1:-1].split("|")]
        if all(re.fullmatch(r":?-+:?", cell) for cell in cells):
            continue
        yield cells


def examples(found: list[Block]) -> list[tuple[Block, Block]]:
    """Each ```python block with the ```text block right after it: what it prints."""
    pairs = []
    for index, block in enumerate(found):
        if block.language == "python":
            output = found[index + 1] if index + 1 < len(found) else None
            assert output is not None and output.language == "text", (
                f"the example in {block.section!r} is followed by a ```text block of what it "
                "prints"
            )
            pairs.append((block, output))
    return pairs
