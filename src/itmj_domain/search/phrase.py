"""Phrase matching within one field value, Lucene's way.

Each phrase word ``i`` found at position ``p`` stands at "phrase position" ``p - i``; the phrase
matches when one occurrence per word can be picked so that the phrase positions span at most
``slop`` (0: the words are adjacent and in order; a swap of two words costs 2). A word repeated
in the phrase needs as many distinct occurrences.
"""

from collections import defaultdict


def contains_phrase(tokens: tuple[str, ...], words: tuple[str, ...], slop: int) -> bool:
    positions: dict[str, list[int]] = defaultdict(list)
    wanted = set(words)
    for position, token in enumerate(tokens):
        if token in wanted:
            positions[token].append(position)
    if any(word not in positions for word in wanted):
        return False
    anchors = sorted(
        {position - index for index, word in enumerate(words) for position in positions[word]}
    )
    return any(_fits(positions, words, anchor, slop) for anchor in anchors)


def _fits(positions: dict[str, list[int]], words: tuple[str, ...], anchor: int, slop: int) -> bool:
    """Whether word ``i`` can sit at a distinct position within ``[anchor + i, anchor + i + slop]``.

    Windows grow with ``i``, so taking the earliest free occurrence for each word in order
    finds an assignment whenever one exists.
    """
    taken: dict[str, int] = {}
    for index, word in enumerate(words):
        low = max(anchor + index, taken.get(word, -1) + 1)
        chosen = next((position for position in positions[word] if position >= low), None)
        if chosen is None or chosen > anchor + index + slop:
            return False
        taken[word] = chosen
    return True
