"""Fuzzy matching as Elasticsearch does it: edit distance with transpositions, prefix length 0.

``within_edits`` is the bounded distance an index can run over its term dictionary; terms whose
length differs by more than ``max_edits`` are rejected before any work.
"""


def auto_edits(text: str) -> int:
    """Elasticsearch's ``AUTO`` fuzziness: 0 edits up to 2 characters, 1 up to 5, then 2."""
    length = len(text)
    if length < 3:
        return 0
    return 1 if length < 6 else 2


def within_edits(source: str, target: str, max_edits: int) -> bool:
    """Whether ``target`` is at most ``max_edits`` insertions, deletions, substitutions or
    transpositions of two adjacent characters away from ``source`` (optimal string alignment,
    as Lucene's Levenshtein automata count them)."""
    if abs(len(source) - len(target)) > max_edits:
        return False
    if max_edits == 0 or source == target:
        return source == target
    previous_row: list[int] | None = None
    row = list(range(len(target) + 1))
    for i in range(1, len(source) + 1):
        next_row = [i] + [0] * len(target)
        for j in range(1, len(target) + 1):
            cost = 0 if source[i - 1] == target[j - 1] else 1
            best = min(row[j] + 1, next_row[j - 1] + 1, row[j - 1] + cost)
            if (
                previous_row is not None
                and j > 1
                and source[i - 1] == target[j - 2]
                and source[i - 2] == target[j - 1]
            ):
                best = min(best, previous_row[j - 2] + 1)
            next_row[j] = best
        if min(next_row) > max_edits:
            return False
        previous_row, row = row, next_row
    return row[-1] <= max_edits
