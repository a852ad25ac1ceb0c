"""The changes one write makes to the index, gathered before any postings or set changes.

Writes are staged for a whole batch of candidates and applied once (``InvertedIndex``), and
they are staged field by field over the batch rather than candidate by candidate: each step
below is one loop in C over every candidate (or every term each holds), so that what a
candidate costs in Python does not grow with the number of its fields and terms.
"""

import functools
import operator
import re
from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Iterator, MutableSequence, Sequence
from itertools import accumulate, chain, compress, repeat
from typing import Any, TypeVar

import attrs

from itmj_adapters.search import bitsets
from itmj_adapters.search.documents import FIELDS, VALUE_SEPARATOR
from itmj_adapters.search.postings import Postings

_Key = tuple[tuple, object]
_Item = TypeVar("_Item")
_TAIL = slice(1, None)
# From this many terms per text on average, a batch's texts are counted term by term: nearly
# every one of them then repeats some term, and counting lists the distinct ones too.
_COUNTED_FROM = 24


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


@attrs.frozen
class WrittenField:
    """One field of a batch of candidates as term characters. Per candidate: ``texts``, its
    values joined by ``VALUE_SEPARATOR`` (empty for none); ``joined``, its values one after
    the other; ``present``, whether it has any value (an empty one counts)."""

    texts: Sequence[str]
    joined: Sequence[str]
    present: Sequence[bool]


@functools.lru_cache(maxsize=16)
def triples_around(middle: str) -> re.Pattern[str]:
    """Each triple of adjacent terms within a value whose middle term is ``middle`` (a term
    character), overlapping ones included: the search looks ahead, so it moves on by one."""
    return re.compile(f"(?=([^{VALUE_SEPARATOR}]{re.escape(middle)}[^{VALUE_SEPARATOR}]))")


def _pairs_of(texts: Sequence[str]) -> Iterator[Iterator[str]]:
    """Per text, each pair of adjacent characters in it."""
    tails = map(operator.getitem, texts, repeat(_TAIL))
    return map(map, repeat(operator.add), texts, tails)


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


def _store_repeats(
    repeats: defaultdict[str, dict[int, int]],
    keys: Iterable[str],
    holders: Iterable[int],
    counts: Iterable[int],
) -> None:
    """``repeats[key][holder] = count`` for each key, holder and count beside each other
    whose count is above 1, looped in C."""
    counts = list(counts)
    repeated = list(map(operator.gt, counts, repeat(1)))
    if not any(repeated):
        return
    deque(
        map(
            dict.__setitem__,
            map(repeats.__getitem__, compress(keys, repeated)),
            compress(holders, repeated),
            compress(counts, repeated),
        ),
        maxlen=0,
    )


class Batch:
    """The changes to terms, to pairs and triples of adjacent terms and to sets, and the new
    texts."""

    def __init__(self) -> None:
        self.terms = KeyChanges()
        self.pairs = KeyChanges()
        self.triples = KeyChanges()
        self.sets = SetChanges()
        # The texts of the candidates put in, to become one segment, and its length so far.
        self.texts: list[str] = []
        self.length = 0

    def add_terms(self, field: int, candidate_ids: Sequence[int], joined: Sequence[str]) -> None:
        """Each candidate gains the terms of its field's text ``joined`` (term characters,
        ``joined[i]`` of ``candidate_ids[i]``), with how often it holds those it holds more
        than once."""
        added = self.terms.added[field]
        repeats = self.terms.repeats[field]
        if sum(map(len, joined)) >= _COUNTED_FROM * len(joined):
            # Long texts nearly all repeat some term: counting each one's terms lists its
            # distinct ones too, in the order they first come.
            counted = list(map(Counter, joined))
            terms = "".join(map("".join, counted))
            holders = list(chain.from_iterable(map(repeat, candidate_ids, map(len, counted))))
            append_each(added, terms, holders)
            _store_repeats(repeats, terms, holders, chain.from_iterable(map(dict.values, counted)))
            return
        distinct = list(map("".join, map(dict.fromkeys, joined)))
        sizes = list(map(len, distinct))
        holders = list(chain.from_iterable(map(repeat, candidate_ids, sizes)))
        append_each(added, "".join(distinct), holders)
        several = list(map(operator.lt, sizes, map(len, joined)))
        if not any(several):
            return
        # Only where some term comes more than once: count each of the candidate's terms.
        counted_ids = map(repeat, compress(candidate_ids, several), compress(sizes, several))
        _store_repeats(
            repeats,
            "".join(compress(distinct, several)),
            chain.from_iterable(counted_ids),
            chain.from_iterable(map(dict.values, map(Counter, compress(joined, several)))),
        )

    def add_pairs(self, field: int, candidate_ids: Sequence[int], texts: Sequence[str]) -> None:
        """Each candidate gains its field's pairs of adjacent terms within a value (``texts[i]``:
        the values of ``candidate_ids[i]`` joined by ``VALUE_SEPARATOR``), each pair as its two
        term characters, with how often it holds those it holds more than once (overlapping:
        "a a a" holds "a a" twice)."""
        # Pairs are read off each whole text, those spanning a separator included: they are
        # dropped at the end, once for the batch, rather than each value cut out.
        distinct = list(map(dict.fromkeys, _pairs_of(texts)))
        sizes = list(map(len, distinct))
        added = self.pairs.added[field]
        holders = chain.from_iterable(map(repeat, candidate_ids, sizes))
        append_each(added, chain.from_iterable(distinct), holders)
        repeats = self.pairs.repeats[field]
        several = list(map(operator.lt, sizes, map(operator.sub, map(len, texts), repeat(1))))
        if any(several):
            counted = list(map(Counter, _pairs_of(list(compress(texts, several)))))
            counted_ids = map(repeat, compress(candidate_ids, several), map(len, counted))
            _store_repeats(
                repeats,
                chain.from_iterable(counted),
                chain.from_iterable(counted_ids),
                chain.from_iterable(map(dict.values, counted)),
            )
        if any(map(operator.contains, texts, repeat(VALUE_SEPARATOR))):
            for spanning in [pair for pair in added if VALUE_SEPARATOR in pair]:
                del added[spanning]
                repeats.pop(spanning, None)

    def add_triples(
        self, field: int, candidate_ids: Sequence[int], texts: Sequence[str], middle: str
    ) -> None:
        """Each candidate gains its field's triples of adjacent terms within a value whose
        middle term is ``middle`` (texts as for ``add_pairs``), each as its three term
        characters, with how often it holds those it holds more than once (overlapping)."""
        holding = list(map(operator.contains, texts, repeat(middle)))
        if not any(holding):
            return
        counted = list(map(Counter, map(triples_around(middle).findall, compress(texts, holding))))
        holders = list(
            chain.from_iterable(map(repeat, compress(candidate_ids, holding), map(len, counted)))
        )
        triples = list(chain.from_iterable(counted))
        append_each(self.triples.added[field], triples, holders)
        _store_repeats(
            self.triples.repeats[field],
            triples,
            holders,
            chain.from_iterable(map(dict.values, counted)),
        )
