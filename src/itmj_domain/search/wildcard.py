"""Wildcard patterns (``*`` any run, ``?`` any one character, ``\\`` escapes the next one).

Helpers an index can reuse: ``wildcard_regex`` matches a whole term, ``literal_prefix`` is the
fixed start every matching term shares (a range to scan in a sorted term dictionary).
"""

import functools
import re

from itmj_domain.search.analyzer import normalize

_PIECES = re.compile(r"(\\.)|([?*]+)", re.DOTALL)


def normalize_wildcard(pattern: str) -> str:
    """Lowercase the plain parts of ``pattern``, leaving wildcards and escaped characters alone."""
    pieces = []
    last = 0
    for match in _PIECES.finditer(pattern):
        pieces.append(normalize(pattern[last : match.start()]))
        pieces.append(match.group())
        last = match.end()
    pieces.append(normalize(pattern[last:]))
    return "".join(pieces)


@functools.lru_cache(maxsize=1024)
def wildcard_regex(pattern: str) -> re.Pattern[str]:
    """A compiled ``re`` pattern to ``fullmatch`` against a term (a trailing ``\\`` is literal)."""
    parts = []
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "*":
            parts.append(".*")
        elif char == "?":
            parts.append(".")
        elif char == "\\" and index + 1 < len(pattern):
            index += 1
            parts.append(re.escape(pattern[index]))
        else:
            parts.append(re.escape(char))
        index += 1
    return re.compile("".join(parts), re.DOTALL)


def literal_prefix(pattern: str) -> str:
    """The plain text before the first wildcard."""
    prefix = []
    index = 0
    while index < len(pattern) and pattern[index] not in "*?":
        if pattern[index] == "\\" and index + 1 < len(pattern):
            index += 1
        prefix.append(pattern[index])
        index += 1
    return "".join(prefix)
