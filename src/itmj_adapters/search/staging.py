"""The changes one write makes to the index, gathered before any postings or set changes.

Writes are staged for a whole batch of candidates and applied once (``InvertedIndex``), and
they are staged field by field over the batch rather than candidate by candidate: each step
below is one loop in C over every candidate (or every term each holds), so that what a
candidate costs in Python does not grow with the number of its fields and terms.
"""

import operator
from collections import Counter, defaultdict, deque
from collections.abc import Iterable, MutableSequence, Sequence
from itertools import accumulate, chain, compress, repeat
from typing import Any, TypeVar

import attrs

from itmj_adapters.search import bitsets
from itmj_adapters.search.documents import FIELDS
from itmj_adapters.search.postings import Postings

_Key = tuple[tuple, object]
_Item = TypeVar("_Item")
_TAIL = slice(1, None)


def append_each(
    lists: defaultdict[Any, list[int]], keys: Iterable[Any], members: Iterable[int]
) -> None:
    """``lists[key].append(member)`` for each key and the member beside it, looped in C."""
    deque(map(list.append, map(lists.__getitem__, keys), members), maxlen=0)


def store_each(values: MutableSequence[Any], positions: Iterable[int], new: Iterable[Any]) -> None:
    """``values[position] = value`` for each position and the value beside it, looped in C."""
    deque(map(values.__setitem__, positions, new), maxlen=0)


def regroup(flat: Sequence[_Item], sizes: Sequence[int]) -> list[Sequence[_Item]]:
    """``flat`` cut into consecutive runs of the given sizes."""
    ends = list(accumulate(sizes))
    starts = [0, *ends[:-1]]
    return list(map(flat.__getitem__, map(slice, starts, ends)))


def adjacent_pairs(values: Sequence[Sequence[str]]) -> list[list[str]]:
    """Per candidate, every pair of adjacent terms within each of its values (``values[i]``:
    candidate ``i``'s values as term characters), each pair as its two term characters."""
    flat = list(chain.from_iterable(values))
    per_value = list(
        map(list, map(map, repeat(operator.add), flat, map(operator.getitem, flat, repeat(_TAIL))))
    )
    sizes = list(map(len, values))
    if all(size == 1 for size in sizes):
        return per_value
    return list(map(list, map(chain.from_iterable, regroup(per_value, sizes))))


@attrs.frozen
class WrittenField:
    """One field of a batch of candidates as term characters. Per candidate: ``texts``, its
    values joined by ``VALUE_SEPARATOR`` (empty for none); ``joined``, its values one after
    the other; ``present``, whether it has any value (an empty one counts); ``values``, each
    of its values."""

    texts: Sequence[str]
    joined: Sequence[str]
    present: Sequence[bool]
    values: Sequence[Sequence[str]]


class SetChanges:
    """Members to take out of and put into sets, keyed by ``(family, key)``."""

    def __init__(self) -> None:
        self.removed: defaultdict[_Key, list[int]] = defaultdict(list)
        self.added: defaultdict[_Key, list[int]] = defaultdict(list)

    def apply(self, families: defaultdict[tuple, dict[Any, int]]) -> None:
        for family, key in self.removed.keys() | self.added.keys():
            sets = families[family]
            members = sets.get(key, 0)
            if (family, key) in self.removed:
                members &= ~bitsets.from_ids(self.removed[family, key])
            members |= bitsets.from_ids(self.added.get((family, key), ()))
            if members:
                sets[key] = members
            else:
                sets.pop(key, None)


class KeyChanges:
    """Per field, keyed by a term's character (or a pair's two): the ids that lose or gain
    it, and the frequencies above 1 of those gaining it."""

    def __init__(self) -> None:
        self.removed: tuple[defaultdict[str, list[int]], ...] = tuple(
            defaultdict(list) for _ in FIELDS
        )
        self.added: tuple[defaultdict[str, list[int]], ...] = tuple(
            defaultdict(list) for _ in FIELDS
        )
        self.repeats: tuple[defaultdict[str, dict[int, int]], ...] = tuple(
            defaultdict(dict) for _ in FIELDS
        )

    def remove(self, field: int, candidate_id: int, keys: Iterable[str]) -> None:
        """The candidate loses each of ``keys`` (distinct)."""
        append_each(self.removed[field], keys, repeat(candidate_id))

    def keys(self, field: int) -> set[str]:
        """The keys the field's changes touch."""
        return self.removed[field].keys() | self.added[field].keys()

    def change(self, postings: Postings, field: int, key: str) -> None:
        """Apply the field's changes of ``key`` to its postings."""
        postings.change(
            self.removed[field].get(key, ()),
            self.added[field].get(key, ()),
            self.repeats[field].get(key, {}),
        )


class Batch:
    """The changes to terms, to pairs of adjacent terms and to sets, and the new texts."""

    def __init__(self) -> None:
        self.terms = KeyChanges()
        self.pairs = KeyChanges()
        self.sets = SetChanges()
        # The texts of the candidates put in, to become one segment, and its length so far.
        self.texts: list[str] = []
        self.length = 0

    def add_terms(self, field: int, candidate_ids: Sequence[int], joined: Sequence[str]) -> None:
        """Each candidate gains the terms of its field's text ``joined`` (term characters,
        ``joined[i]`` of ``candidate_ids[i]``), with how often it holds those it holds more
        than once."""
        distinct = list(map("".join, map(dict.fromkeys, joined)))
        sizes = list(map(len, distinct))
        holders = list(chain.from_iterable(map(repeat, candidate_ids, sizes)))
        terms = "".join(distinct)
        append_each(self.terms.added[field], terms, holders)
        several = list(map(operator.lt, sizes, map(len, joined)))
        if not any(several):
            return
        # Only where some term comes more than once: count each of the candidate's terms.
        texts = list(compress(joined, several))
        kinds = list(compress(distinct, several))
        counts = list(chain.from_iterable(map(map, repeat(str.count), map(repeat, texts), kinds)))
        repeated = list(map(operator.gt, counts, repeat(1)))
        ids = chain.from_iterable(map(repeat, compress(candidate_ids, several), map(len, kinds)))
        repeats = self.terms.repeats[field]
        deque(
            map(
                dict.__setitem__,
                map(repeats.__getitem__, compress("".join(kinds), repeated)),
                compress(ids, repeated),
                compress(counts, repeated),
            ),
            maxlen=0,
        )

    def add_pairs(
        self, field: int, candidate_ids: Sequence[int], pairs: Sequence[list[str]]
    ) -> None:
        """Each candidate gains its field's pairs of adjacent terms (``pairs[i]`` of
        ``candidate_ids[i]``, see ``adjacent_pairs``), with how often it holds those it holds
        more than once (overlapping: "a a a" holds "a a" twice)."""
        distinct = list(map(dict.fromkeys, pairs))
        sizes = list(map(len, distinct))
        holders = chain.from_iterable(map(repeat, candidate_ids, sizes))
        append_each(self.pairs.added[field], chain.from_iterable(distinct), holders)
        several = list(map(operator.lt, sizes, map(len, pairs)))
        if not any(several):
            return
        repeats = self.pairs.repeats[field]
        for candidate_id, counted in zip(
            compress(candidate_ids, several), map(Counter, compress(pairs, several)), strict=True
        ):
            for pair, frequency in counted.items():
                if frequency > 1:
                    repeats[pair][candidate_id] = frequency
