"""Every term the index holds, with a small integer id each, and the sorted list of terms that
multi-term queries walk instead of scanning documents.

Ids are handed out from 2 upwards and reused once a term is gone: a candidate's text is held as
the characters with its terms' ids, and characters 0 and 1 are separators there. The
sorted list is brought up to date by writers (``refresh``), so readers never change it; a term
that has died stays in the list until enough have died, and enumerations skip it.

What a multi-term query expands to is remembered (``expansion``) until the set of terms
changes, so a wildcard or fuzzy term searched again costs a lookup. Each enumeration says how
much it examined (entries of the sorted list, and the characters an automaton stepped through),
remembered with it: a search is charged that work whether or not it was remembered, so that
what it may do does not depend on what ran before. Given a ``limit``, an enumeration stops once
it has examined more, so that a search over its budget is refused before the walk, not after.
"""

import bisect
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Protocol

import attrs

from itmj_domain.search.wildcard import literal_prefix, wildcard_matcher

FIRST_TERM_ID = 2
MAX_TERM_ID = 0x10FFFF
_EXPANSIONS_KEPT = 512


class IndexFull(RuntimeError):
    """More distinct terms than the in-memory index can name (about 1.1 million)."""


@attrs.frozen
class Expansion:
    """The live terms an enumeration found, in order, and how much it examined; cut short
    (no terms, ``examined`` past the limit) when it stopped at its limit."""

    terms: tuple[str, ...]
    examined: int


_Limit = int | None


class Automaton(Protocol):
    """What a term-dictionary walk needs from a regular expression or fuzzy matcher."""

    @property
    def start(self) -> int: ...

    def step(self, state: int, char: str) -> int: ...
    def accepts(self, state: int) -> bool: ...
    def is_dead(self, state: int) -> bool: ...


def _after_prefix(prefix: str) -> str | None:
    """The smallest string greater than every string starting with ``prefix``."""
    while prefix and ord(prefix[-1]) == MAX_TERM_ID:
        prefix = prefix[:-1]
    if not prefix:
        return None
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def _shared_length(first: str, second: str) -> int:
    limit = min(len(first), len(second))
    length = 0
    while length < limit and first[length] == second[length]:
        length += 1
    return length


class TermDictionary:
    """``ids`` maps each live term to its id (read it, change it only through the methods)."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self._terms: list[str | None] = [None] * FIRST_TERM_ID
        self._uses: list[int] = [0] * FIRST_TERM_ID
        self._free: list[int] = []
        self._sorted: list[str] = []
        self._pending: list[str] = []
        self._dead_in_sorted = 0
        self._version = 0
        self._expansions: dict[Hashable, tuple[int, Expansion]] = {}

    def __len__(self) -> int:
        return len(self.ids)

    def id_of(self, term: str) -> int | None:
        return self.ids.get(term)

    def term(self, term_id: int) -> str:
        term = self._terms[term_id]
        if term is None:
            raise KeyError(term_id)
        return term

    def intern(self, term: str) -> int:
        """The id of ``term``, given a new one if it has none (with no uses yet)."""
        found = self.ids.get(term)
        if found is not None:
            return found
        if self._free:
            term_id = self._free.pop()
            self._terms[term_id] = term
        else:
            term_id = len(self._terms)
            if term_id > MAX_TERM_ID:
                raise IndexFull(
                    f"the in-memory search index holds at most {MAX_TERM_ID - FIRST_TERM_ID + 1}"
                    " distinct terms"
                )
            self._terms.append(term)
            self._uses.append(0)
        self.ids[term] = term_id
        self._version += 1
        if self._in_sorted(term):
            self._dead_in_sorted -= 1
        else:
            self._pending.append(term)
        return term_id

    def encode(self, terms: Sequence[str]) -> str:
        """The terms written as the characters of their ids, new ones interned in order."""
        try:
            return "".join(map(chr, map(self.ids.__getitem__, terms)))
        except KeyError:
            return "".join([chr(self.intern(term)) for term in terms])

    def _in_sorted(self, term: str) -> bool:
        position = bisect.bisect_left(self._sorted, term)
        return position < len(self._sorted) and self._sorted[position] == term

    def use(self, term_id: int) -> None:
        """One more field holds the term."""
        self._uses[term_id] += 1

    def unuse(self, term_id: int) -> None:
        """One field fewer holds the term."""
        self._uses[term_id] -= 1

    def refresh(self, maybe_unused: Iterable[int]) -> None:
        """After a write: forget the terms among ``maybe_unused`` that no field holds any more,
        then bring the sorted list up to date."""
        for term_id in maybe_unused:
            term = self._terms[term_id]
            if term is not None and self._uses[term_id] == 0:
                del self.ids[term]
                self._version += 1
                self._terms[term_id] = None
                self._free.append(term_id)
                if term in self._pending:
                    self._pending.remove(term)
                else:
                    self._dead_in_sorted += 1
        if self._pending:
            self._pending.sort()
            self._sorted.extend(self._pending)
            self._sorted.sort()
            self._pending = []
        if self._dead_in_sorted * 4 > len(self._sorted):
            self._sorted = [term for term in self._sorted if term in self.ids]
            self._dead_in_sorted = 0

    def expansion(
        self,
        key: Hashable,
        expand: Callable[["TermDictionary", _Limit], Expansion],
        limit: _Limit = None,
    ) -> Expansion:
        """What ``expand`` finds, remembered under ``key`` while no term comes or goes (unless
        it was cut short at ``limit``). Searches may call this concurrently: at worst two of
        them compute the same entry."""
        version = self._version
        known = self._expansions.get(key)
        if known is not None and known[0] == version:
            return known[1]
        found = expand(self, limit)
        if limit is not None and found.examined > limit:
            return found
        if len(self._expansions) >= _EXPANSIONS_KEPT:
            self._expansions.clear()
        self._expansions[key] = (version, found)
        return found

    def _live(self, start: int, end: int, limit: _Limit) -> Expansion:
        if limit is not None and end - start > limit:
            return Expansion((), end - start)
        ids = self.ids
        return Expansion(
            tuple(term for term in self._sorted[start:end] if term in ids), end - start
        )

    def _prefix_range(self, prefix: str) -> tuple[int, int]:
        start = bisect.bisect_left(self._sorted, prefix)
        after = _after_prefix(prefix)
        end = len(self._sorted) if after is None else bisect.bisect_left(self._sorted, after, start)
        return start, end

    def with_prefix(self, prefix: str, limit: _Limit = None) -> Expansion:
        return self._live(*self._prefix_range(prefix), limit)

    def matching_wildcard(self, pattern: str, limit: _Limit = None) -> Expansion:
        matches = wildcard_matcher(pattern)
        prefixed = self.with_prefix(literal_prefix(pattern), limit)
        return Expansion(tuple(term for term in prefixed.terms if matches(term)), prefixed.examined)

    def between(
        self,
        lower: str | None,
        upper: str | None,
        include_lower: bool,
        include_upper: bool,
        limit: _Limit = None,
    ) -> Expansion:
        terms = self._sorted
        if lower is None:
            start = 0
        elif include_lower:
            start = bisect.bisect_left(terms, lower)
        else:
            start = bisect.bisect_right(terms, lower)
        if upper is None:
            end = len(terms)
        elif include_upper:
            end = bisect.bisect_right(terms, upper)
        else:
            end = bisect.bisect_left(terms, upper)
        return self._live(start, max(start, end), limit)

    def accepted_by(self, automaton: Automaton, limit: _Limit = None) -> Expansion:
        """The terms ``automaton`` accepts, walking the sorted terms as a trie: the states of a
        shared prefix are reused, and a dead state skips every term under that prefix."""
        terms = self._sorted
        live = self.ids
        step: Callable[[int, str], int] = automaton.step
        is_dead = automaton.is_dead
        found: list[str] = []
        states = [automaton.start]
        previous = ""
        index = 0
        examined = 0
        while index < len(terms):
            term = terms[index]
            shared = min(_shared_length(previous, term), len(states) - 1)
            examined += 1 + len(term) - shared
            if limit is not None and examined > limit:
                return Expansion((), examined)
            del states[shared + 1 :]
            state = states[shared]
            dead_at = -1
            for depth in range(shared, len(term)):
                state = step(state, term[depth])
                if is_dead(state):
                    dead_at = depth
                    break
                states.append(state)
            if dead_at >= 0:
                after = _after_prefix(term[: dead_at + 1])
                index = len(terms) if after is None else bisect.bisect_left(terms, after, index + 1)
                previous = term[:dead_at]
                continue
            if automaton.accepts(state) and term in live:
                found.append(term)
            previous = term
            index += 1
        return Expansion(tuple(found), examined)
