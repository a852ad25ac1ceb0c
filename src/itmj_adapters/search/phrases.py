"""Which candidates hold a phrase, field by field: the costly leaf of the in-memory engine.

Candidates' texts are strings of term characters (``documents``), so nearly every check runs in
C over many candidates at once, and the index holds every pair of adjacent terms
(``inverted_index``). Each check spends from the search's work budget before it runs, so a
query too expensive is refused before the work, not after.

- An exact phrase of two words is a lookup of its pair's holders, and so is one of three
  around the joining word ("testing and commissioning") of its triple's (``inverted_index``).
  A longer one is looked for among the candidates holding all its pairs (intersected rarest
  first): those holding each inner word once hold the phrase once, and only the others' texts
  are counted.
- A sloppy phrase keeps the candidates in whose field each two consecutive words stand near
  enough, rarest pair first: those holding the two words next to each other, in an order the
  slop allows, do without a look; the others' texts are searched with a regular expression.
  That is exact for two words. A longer one is then checked value by value
  (``PhraseMatcher``), the one step in Python.

Only the candidates the query has left (``within``) are checked, and the work grows with the
holders of the pairs and of the rarer words, not with the index.
"""

import functools
import itertools
import operator
import re
from collections.abc import Callable, Iterable, Sequence
from itertools import repeat
from typing import TypeGuard

from itmj_adapters.search import bitsets, work
from itmj_adapters.search.documents import VALUE_SEPARATOR
from itmj_adapters.search.inverted_index import InvertedIndex
from itmj_adapters.search.postings import Frequencies, PairPostings, union_of
from itmj_domain.search.budget import WorkBudget
from itmj_domain.search.phrase import PhraseMatcher

# Per field: its number, the candidates holding the phrase, and its frequencies where not 1.
FieldMatches = tuple[tuple[int, int, Frequencies], ...]


@functools.lru_cache(maxsize=1024)
def _near(first: str, second: str, slop: int) -> re.Pattern[str]:
    """Where, in one value, ``second`` stands after or before ``first`` with their phrase
    positions (``second``'s one less) at most ``slop`` apart, in a text that never holds them
    next to each other in an order the slop allows (``_adjacent_orders``): at least one term
    stands between them, and swapped they need a slop of 3. From each occurrence the gap
    stops at the next occurrence of either word, which is the nearest one that can do, so a
    search takes time linear in the text; one order alone starts with a word, which the
    search skips to in C."""
    one, other = re.escape(first), re.escape(second)
    if first == second:
        return re.compile(f"{one}[^\\x00\\x01{one}]{{1,{slop}}}+{one}")
    gap = f"[^\\x00\\x01{one}{other}]"
    after = f"{one}{gap}{{1,{slop}}}+{other}"
    if slop < 3:
        return re.compile(after)
    return re.compile(f"{after}|{other}{gap}{{1,{slop - 2}}}+{one}")


def _adjacent_orders(pair: str, slop: int) -> set[str]:
    """The pairs of adjacent terms that hold the two words near enough for ``_near``: in
    order always, swapped (phrase positions two apart) from a slop of 2."""
    return {pair, pair[::-1]} if slop >= 2 else {pair}


def _all_known(term_ids: list[int | None]) -> TypeGuard[list[int]]:
    return None not in term_ids


class PhraseFinder:
    def __init__(self, index: InvertedIndex, budget: WorkBudget) -> None:
        self._index = index
        self._budget = budget

    def find(
        self, words: Sequence[str], slop: int, within: int, numbers: Iterable[int]
    ) -> FieldMatches:
        """In each field of ``numbers``, the candidates in ``within`` holding the phrase."""
        term_ids = [self._index.terms.id_of(word) for word in words]
        if not _all_known(term_ids):
            return ()
        needle = "".join(map(chr, term_ids))
        if slop == 0:
            return self._exact(needle, within, numbers)
        return self._sloppy(needle, slop, within, numbers)

    def _exact(self, needle: str, within: int, numbers: Iterable[int]) -> FieldMatches:
        if len(needle) == 3 and needle[1] == self._index.joining():
            return self._looked_up(needle, within, numbers, self._index.triple_postings)
        if len(needle) == 2:
            return self._looked_up(needle, within, numbers, self._index.pair_postings)
        pairs = _pairs_of(needle)
        found = []
        for number in numbers:
            holders = self._holding_pairs(number, pairs, within)
            if not holders:
                continue
            once = self._middle_words_once(number, needle, holders)
            unsure = holders ^ once
            missing, repeats = self._counted(bitsets.ids_of(unsure), number, needle)
            # Nearly every one holds it: the few that do not are the smaller set to build.
            matched = holders & ~bitsets.from_ids(missing)
            if matched:
                found.append((number, matched, Frequencies.of(repeats)))
        return tuple(found)

    def _looked_up(
        self,
        needle: str,
        within: int,
        numbers: Iterable[int],
        lookup: Callable[[int, str], PairPostings | None],
    ) -> FieldMatches:
        """The phrase's holders in each field where the index keeps them (``lookup``), with
        their frequencies."""
        found = []
        for number in numbers:
            self._budget.spend(work.LOOKUP)
            postings = lookup(number, needle)
            if postings is None:
                continue
            self._budget.spend(work.joining([postings]))
            holders = within & postings.bits()
            if holders:
                found.append((number, holders, postings.frequencies()))
        return tuple(found)

    def _middle_words_once(self, number: int, needle: str, holders: int) -> int:
        """Those of ``holders`` (each holding all the phrase's pairs) whose field holds each
        of the phrase's inner words once: the pairs on either side of that one occurrence
        are then chained, so they hold the phrase, once, without a look at their texts."""
        postings = self._index.postings[number]
        once = holders
        for word in set(needle[1:-1]):
            self._budget.spend(work.SET_OPERATION)
            once &= ~postings[ord(word)].frequencies().holders
        return once

    def _holding_pairs(self, number: int, pairs: Iterable[str], within: int) -> int:
        """The candidates in ``within`` holding every one of ``pairs`` in the field, each
        pair's holders looked up (and charged) rarest first until none are left."""
        held = [self._index.pair_postings(number, pair) for pair in pairs]
        self._budget.spend(work.LOOKUP * len(held))
        if None in held:
            return 0
        holders = within
        for postings in sorted(held, key=operator.attrgetter("count")):
            assert postings is not None  # none is missing, as checked above
            self._budget.spend(work.joining([postings]))
            holders &= postings.bits()
            if not holders:
                break
        return holders

    def _held_adjacent(self, number: int, pairs: Iterable[str]) -> int:
        """The candidates holding any of ``pairs`` in the field."""
        found = [self._index.pair_postings(number, pair) for pair in pairs]
        self._budget.spend(work.LOOKUP * len(found))
        held = [postings for postings in found if postings is not None]
        self._budget.spend(work.joining(held))
        return union_of(held)

    def _rarity(self, number: int, words: str) -> int:
        """How many candidates hold the rarest of ``words`` in the field."""
        postings = self._index.postings[number]
        return min(postings[ord(word)].count if ord(word) in postings else 0 for word in words)

    def _counted(
        self, candidates: list[int], number: int, needle: str
    ) -> tuple[list[int], dict[int, int]]:
        """The candidates whose field does not hold the phrase, and how often the others
        hold it where more than once."""
        self._spend_scan(candidates, number)
        counts = self._index.counts(candidates, number, needle)
        # Most hold it, once: one pass in C says whether anything else needs picking out.
        if counts.count(1) == len(counts):
            return [], {}
        missing = []
        if 0 in counts:
            missing = list(itertools.compress(candidates, map(operator.not_, counts)))
        repeats = {}
        if counts and max(counts) > 1:
            several = list(map(operator.gt, counts, repeat(1)))
            repeats = dict(
                zip(
                    itertools.compress(candidates, several),
                    itertools.compress(counts, several),
                    strict=True,
                )
            )
        return missing, repeats

    def _sloppy(self, needle: str, slop: int, within: int, numbers: Iterable[int]) -> FieldMatches:
        """A sloppy phrase counts once per field, as the index has always counted it."""
        pairs = set(_pairs_of(needle))
        found = []
        for number in numbers:
            candidates = self._holding_words(number, needle, within)
            for _, pair in sorted((self._rarity(number, pair), pair) for pair in pairs):
                if not candidates:
                    break
                adjacent = candidates & self._held_adjacent(number, _adjacent_orders(pair, slop))
                rest = bitsets.ids_of(candidates ^ adjacent)
                near = self._near_enough(rest, number, _near(pair[0], pair[1], slop))
                candidates = adjacent | bitsets.from_ids(near)
            if len(needle) > 2 and candidates:
                candidates = bitsets.from_ids(
                    self._checked(bitsets.ids_of(candidates), number, needle, slop)
                )
            if candidates:
                found.append((number, candidates, Frequencies.of({})))
        return tuple(found)

    def _holding_words(self, number: int, needle: str, within: int) -> int:
        postings = self._index.postings[number]
        holders = within
        for word in set(needle):
            held = postings.get(ord(word))
            holders &= 0 if held is None else held.bits()
            if not holders:
                break
        return holders

    def _near_enough(self, candidates: list[int], number: int, near: re.Pattern) -> list[int]:
        self._spend_scan(candidates, number)
        found = map(
            near.search,
            self._index.texts(candidates),
            self._index.starts(candidates, number),
            self._index.search_ends(candidates, number),
        )
        return list(itertools.compress(candidates, found))

    def _checked(self, candidates: list[int], number: int, needle: str, slop: int) -> list[int]:
        """The candidates whose field holds the phrase in one of its values, looked for in
        Python."""
        self._budget.spend(work.VALUE_CHECK * len(candidates))
        matcher = PhraseMatcher(needle, slop, self._budget)
        distinct = set(needle)
        found = []
        for candidate in candidates:
            if any(
                distinct.issubset(value) and matcher.in_value(value)
                for value in self._index.field_text(candidate, number).split(VALUE_SEPARATOR)
            ):
                found.append(candidate)
        return found

    def _spend_scan(self, candidates: list[int], number: int) -> None:
        self._budget.spend(work.scan(len(candidates), self._index.terms_held(candidates, number)))


def _pairs_of(needle: str) -> list[str]:
    """The phrase's distinct pairs of consecutive words."""
    return list(dict.fromkeys(map(operator.add, needle, needle[1:])))
