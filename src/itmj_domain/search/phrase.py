"""Phrase matching within one field value, Lucene's way.

Each phrase word ``i`` found at position ``p`` stands at "phrase position" ``p - i``; the phrase
matches when one occurrence per word can be picked so that the phrase positions span at most
``slop`` (0: the words are adjacent and in order; a swap of two words costs 2). A word repeated
in the phrase needs as many distinct occurrences.

The search slides an anchor, the lowest phrase position allowed: word ``i`` must then sit within
``[anchor + i, anchor + i + slop]``. These windows grow with ``i``, so taking for each word, in
phrase order, its earliest free occurrence in its window finds an assignment whenever one
exists. Distinct words only meet through the anchor, so they are placed rarest first. When a
word's earliest occurrence lies past its window, no anchor below ``that occurrence - i - slop``
can work, and the anchor jumps there. Anchors only rise, so placements only move forward and
are kept between jumps. The work thus follows the occurrences near the rarest word, not the
length of the value, and stops at the first fit or as soon as a word runs out.
"""

import bisect
import operator
from collections.abc import Sequence
from typing import Protocol

from itmj_domain.search.budget import WorkBudget


class Occurrences(Protocol):
    """Where the words of one value stand. A ``str`` whose characters are the words is one."""

    def find(self, word: str, start: int, /) -> int:
        """The first position at or after ``start`` holding ``word``; -1 when there is none."""
        ...

    def count(self, word: str, /) -> int: ...


class _TokenPositions:
    """The ``Occurrences`` of a sequence of tokens."""

    def __init__(self, tokens: Sequence[str], words: set[str]) -> None:
        self._positions: dict[str, list[int]] = {word: [] for word in words}
        for position, token in enumerate(tokens):
            if token in self._positions:
                self._positions[token].append(position)

    def find(self, word: str, start: int, /) -> int:
        positions = self._positions[word]
        index = bisect.bisect_left(positions, start)
        return positions[index] if index < len(positions) else -1

    def count(self, word: str, /) -> int:
        return len(self._positions[word])


# Steps are charged in batches: charging is a call, dearer than a step.
_STEPS_PER_CHARGE = 64


class PhraseMatcher:
    """One phrase, looked for in values. With a ``budget``, each step spends one unit (a
    word's count in a value, a round of placements, a word placed or found still in place),
    charged a few dozen at a time."""

    def __init__(self, words: Sequence[str], slop: int, budget: WorkBudget | None = None) -> None:
        indexes: dict[str, list[int]] = {}
        for index, word in enumerate(words):
            indexes.setdefault(word, []).append(index)
        self._words = tuple(indexes)
        self._groups = tuple((word, tuple(indexes[word])) for word in self._words)
        self._needed = tuple(len(each) for each in indexes.values())
        self._length = len(words)
        self._slop = slop
        self._budget = budget
        self._steps = 0

    def in_value(self, value: Occurrences) -> bool:
        """Whether ``value`` holds the phrase."""
        counts = list(map(value.count, self._words))
        self._steps += len(counts)
        if any(map(operator.lt, counts, self._needed)):
            self._charge()
            return False
        groups = [self._groups[each] for each in sorted(range(len(counts)), key=counts.__getitem__)]
        placed = [-1] * self._length
        anchor = self._lowest_anchor(value, groups, placed)
        following = self._next_anchor(value, groups, anchor, placed)
        while following is not None and following != anchor:
            if self._steps >= _STEPS_PER_CHARGE:
                self._charge()
            anchor = following
            following = self._next_anchor(value, groups, anchor, placed)
        self._charge()
        return following is not None

    def _lowest_anchor(
        self, value: Occurrences, groups: list[tuple[str, tuple[int, ...]]], placed: list[int]
    ) -> int:
        """Below this anchor some word cannot fit: it places each word at its earliest
        occurrences (a repeated word's distinct ones), which no later placement precedes."""
        anchor = -self._length - self._slop
        for word, indexes in groups:
            taken = -1
            for index in indexes:
                taken = placed[index] = value.find(word, taken + 1)
                anchor = max(anchor, taken - index - self._slop)
            self._steps += len(indexes)
        return anchor

    def _next_anchor(
        self,
        value: Occurrences,
        groups: list[tuple[str, tuple[int, ...]]],
        anchor: int,
        placed: list[int],
    ) -> int | None:
        """``anchor`` when every word fits there, else the next anchor worth trying; ``None``
        when a word has no occurrence left. ``placed`` keeps each word's position, still the
        earliest one allowed while it is not below the word's window."""
        self._steps += 1
        slop = self._slop
        for word, indexes in groups:
            taken = -1
            for index in indexes:
                self._steps += 1
                low = max(anchor + index, taken + 1, 0)
                position = placed[index]
                if position < low:
                    position = placed[index] = value.find(word, low)
                    if position < 0:
                        return None
                if position > anchor + index + slop:
                    return position - index - slop
                taken = position
        return anchor

    def _charge(self) -> None:
        if self._budget is not None:
            self._budget.spend(self._steps)
        self._steps = 0


def contains_phrase(tokens: Sequence[str], words: Sequence[str], slop: int) -> bool:
    """Whether ``tokens`` (one analyzed value) hold the phrase ``words`` within ``slop``."""
    return PhraseMatcher(words, slop).in_value(_TokenPositions(tokens, set(words)))
