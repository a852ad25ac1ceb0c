"""Which candidates hold a phrase, field by field: the costly leaf of the in-memory engine.

Candidates' texts are strings of term characters (``documents``), so nearly every check runs in
C over many candidates at once. Each check spends from the search's work budget before it runs,
so a query too expensive is refused before the work, not after.

- An exact phrase of two words is a lookup of the pair's holders, which the index keeps once
  asked for. A longer one is counted in the texts of the candidates holding all its words,
  after one look at their whole texts when it is sought in several fields and that look may
  cost less than the counting it spares.
- A sloppy phrase keeps the candidates in whose field each two consecutive words stand near
  enough, with a regular expression per pair, rarest pair first: exact for two words. A longer
  one is then checked value by value (``PhraseMatcher``), the one step in Python.

Only the candidates the query has left (``within``) are checked, and the work grows with the
holders of the rarer words, not with the index.
"""

import functools
import itertools
import operator
import re
from collections.abc import Iterable, Sequence
from itertools import repeat
from typing import TypeGuard

from itmj_adapters.search import bitsets, work
from itmj_adapters.search.documents import VALUE_SEPARATOR
from itmj_adapters.search.inverted_index import InvertedIndex
from itmj_adapters.search.postings import Frequencies
from itmj_domain.search.budget import WorkBudget
from itmj_domain.search.phrase import PhraseMatcher

# Per field: its number, the candidates holding the phrase, and its frequencies where not 1.
FieldMatches = tuple[tuple[int, int, Frequencies], ...]


@functools.lru_cache(maxsize=1024)
def _near(first: str, second: str, slop: int) -> re.Pattern[str]:
    """Where, in one value, ``second`` stands after or before ``first`` with their phrase
    positions (``second``'s one less) at most ``slop`` apart. From each occurrence the gap
    stops at the next occurrence of either word, which is the nearest one that can do, so a
    search takes time linear in the text."""
    one, other = re.escape(first), re.escape(second)
    if first == second:
        return re.compile(f"{one}[^\\x00\\x01{one}]{{0,{slop}}}+{one}")
    gap = f"[^\\x00\\x01{one}{other}]"
    after = f"{one}{gap}{{0,{slop}}}+{other}"
    if slop < 2:
        return re.compile(after)
    return re.compile(f"{after}|{other}{gap}{{0,{slop - 2}}}+{one}")


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
        if len(needle) == 2:
            return tuple(
                (number, holders, self._index.pair_postings(number, needle).frequencies())
                for number in numbers
                if (holders := self._holding_pair(number, needle, within))
            )
        unchecked = {
            number: holders
            for number in numbers
            if (holders := self._holding_words(number, needle, within))
        }
        if len(unchecked) > 1 and self._presence_pays(unchecked):
            unchecked = self._present(unchecked, needle)
        found = []
        for number, candidates in unchecked.items():
            counted, repeats = self._counted(bitsets.ids_of(candidates), number, needle)
            if counted:
                found.append((number, bitsets.from_ids(counted), Frequencies.of(repeats)))
        return tuple(found)

    def _holding_pair(self, number: int, pair: str, within: int) -> int:
        """The candidates in ``within`` holding two adjacent words in the field. The index
        keeps the holders of the pairs phrases asked for; finding them scans the texts of the
        rarer word's holders, and that is charged whether the index had them or not, so that
        what a search may do does not hang on what searches ran before."""
        index = self._index
        rarity = self._rarity(number, pair)
        average = index.length_sum[number] // max(1, index.doc_count[number])
        self._budget.spend(work.scan(rarity, rarity * average))
        return within & index.pair_postings(number, pair).bits() if rarity else 0

    def _rarity(self, number: int, words: str) -> int:
        """How many candidates hold the rarest of ``words`` in the field."""
        postings = self._index.postings[number]
        return min(postings[ord(word)].count if ord(word) in postings else 0 for word in words)

    def _presence_pays(self, unchecked: dict[int, int]) -> bool:
        """Whether one look at the whole texts may cost less than counting the phrase in each
        field straight away, which that look at best spares entirely (field lengths taken as
        their averages)."""
        index = self._index
        averages = {
            number: index.length_sum[number] / max(1, index.doc_count[number])
            for number in range(len(index.doc_count))
        }
        counting = 0
        for number, candidates in unchecked.items():
            holders = candidates.bit_count()
            counting += work.scan(holders, int(holders * averages[number]))
        everyone = bitsets.union(unchecked.values()).bit_count()
        return work.scan(everyone, int(everyone * sum(averages.values()))) < counting

    def _present(self, unchecked: dict[int, int], needle: str) -> dict[int, int]:
        """One look at each candidate's whole text rules most out for every field at once."""
        holders = bitsets.ids_of(bitsets.union(unchecked.values()))
        bounds = self._index.bounds
        starts = list(map(bounds[0].__getitem__, holders))
        ends = list(map(operator.sub, map(bounds[-1].__getitem__, holders), repeat(1)))
        self._budget.spend(work.scan(len(holders), sum(ends) - sum(starts)))
        found = map(str.find, self._index.texts(holders), repeat(needle), starts, ends)
        present = bitsets.from_ids(
            list(itertools.compress(holders, map(operator.ge, found, repeat(0))))
        )
        return {number: candidates & present for number, candidates in unchecked.items()}

    def _counted(
        self, candidates: list[int], number: int, needle: str
    ) -> tuple[list[int], dict[int, int]]:
        """The candidates whose field holds the phrase, and how often where more than once."""
        self._spend_scan(candidates, number)
        counts = self._index.counts(candidates, number, needle)
        found = list(itertools.compress(candidates, counts))
        several = list(map(operator.gt, counts, repeat(1)))
        repeats = dict(
            zip(
                itertools.compress(candidates, several),
                itertools.compress(counts, several),
                strict=True,
            )
        )
        return found, repeats

    def _sloppy(self, needle: str, slop: int, within: int, numbers: Iterable[int]) -> FieldMatches:
        """A sloppy phrase counts once per field, as the index has always counted it."""
        pairs = {needle[start : start + 2] for start in range(len(needle) - 1)}
        found = []
        for number in numbers:
            candidates = bitsets.ids_of(self._holding_words(number, needle, within))
            for _, pair in sorted((self._rarity(number, pair), pair) for pair in pairs):
                if not candidates:
                    break
                candidates = self._near_enough(candidates, number, _near(pair[0], pair[1], slop))
            if len(needle) > 2 and candidates:
                candidates = self._checked(candidates, number, needle, slop)
            if candidates:
                found.append((number, bitsets.from_ids(candidates), Frequencies.of({})))
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
        bounds = self._index.bounds
        found = map(
            near.search,
            self._index.texts(candidates),
            map(bounds[number].__getitem__, candidates),
            map(operator.sub, map(bounds[number + 1].__getitem__, candidates), repeat(1)),
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
        lengths = self._index.lengths[number]
        self._budget.spend(work.scan(len(candidates), sum(map(lengths.__getitem__, candidates))))
