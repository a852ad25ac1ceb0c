"""Wildcard patterns (``*`` any run, ``?`` any one character, ``\\`` escapes the next one).

Helpers an index can reuse: ``wildcard_matcher`` matches a whole term, ``literal_prefix`` is the
fixed start every matching term shares (a range to scan in a sorted term dictionary).
"""

import functools
import re
from collections.abc import Callable

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
def wildcard_matcher(pattern: str) -> Callable[[str], bool]:
    """Whether a whole term matches ``pattern`` (a trailing ``\\`` is literal), in time linear
    in the term.

    Runs of ``*`` cut the pattern into segments of fixed length (``?`` is any one character):
    the first must start the term and the last end it, and taking each one between at its
    first occurrence after the one before leaves the most room for the rest, so nothing is
    ever retried. A regular expression with ``.*`` for each ``*`` backtracks instead, for
    seconds on a term such as ``aaaa…`` against ``*a*a*a*a*a*a*a*a*b``.
    """
    segments = _segments(pattern)
    if len(segments) == 1:
        whole = segments[0][0]
        return lambda term: whole.fullmatch(term) is not None
    (first, first_length), *middle, (last, last_length) = segments

    def matches(term: str) -> bool:
        end = len(term) - last_length
        if end < first_length or not first.match(term) or not last.fullmatch(term, end):
            return False
        position = first_length
        for segment, _ in middle:
            found = segment.search(term, position, end)
            if found is None:
                return False
            position = found.end()
        return True

    return matches


def _segments(pattern: str) -> list[tuple[re.Pattern[str], int]]:
    """The pattern's parts between runs of ``*``: each a regular expression and the fixed
    number of characters it matches."""
    segments: list[list[str]] = [[]]
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "*":
            if segments[-1] or len(segments) == 1:
                segments.append([])
        elif char == "?":
            segments[-1].append(".")
        else:
            if char == "\\" and index + 1 < len(pattern):
                index += 1
            segments[-1].append(re.escape(pattern[index]))
        index += 1
    return [(re.compile("".join(parts), re.DOTALL), len(parts)) for parts in segments]


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
