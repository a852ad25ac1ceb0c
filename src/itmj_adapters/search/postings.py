"""The candidates holding one term (or one pair of adjacent terms) in one field, and how
often each holds it.

Holders are kept as a sorted array of ids (4 bytes each) or as a bitset (one bit per candidate
id up to the largest holder), which is what the boolean algebra works on. A term's are a
bitset from ``DENSE_FROM`` holders on: terms are few (hundreds per field), and a query's terms
are then read without any conversion. Pairs of adjacent terms are many (thousands per field,
most of them held by one candidate in a hundred or fewer), and a bitset of a million ids is
125 kB whatever it holds, so a pair's holders are a bitset only once more than one id in 64
holds it: at most twice the size of their array, and a phrase reads them without turning
thousands of ids into a set on every search. Frequencies are 1 for almost every holder, so
only the others are kept, in ``repeats``.
"""

from array import array
from collections.abc import Iterable, Sequence

from itmj_adapters.search import bitsets

DENSE_FROM = 1024
# A pair's holders are a bitset once more than one id in this many holds it, and an array
# again once fewer than one in twice as many do (a bit per id against 32 per holder).
_PAIR_SHARE = 64


class Postings:
    __slots__ = ("_bits", "_frequencies", "_ids", "count", "repeats")

    def __init__(self) -> None:
        self._ids: array | None = array("i")
        self._bits = 0
        self.count = 0
        self.repeats: dict[int, int] = {}
        self._frequencies: Frequencies | None = None

    def frequencies(self) -> "Frequencies":
        """The frequencies above 1; as sets, worked out when first needed after a change
        (searches may do so concurrently: they compute the same thing)."""
        frequencies = self._frequencies
        if frequencies is None:
            frequencies = self._frequencies = Frequencies.of(self.repeats)
        return frequencies

    def bits(self) -> int:
        return bitsets.from_ids(self._ids) if self._ids is not None else self._bits

    def dense_bits(self) -> int | None:
        """The bitset of a common term, ``None`` for a rare one."""
        return None if self._ids is not None else self._bits

    def ids(self) -> Sequence[int]:
        """The holders, ascending (a rare term's are at hand; a common one's are computed)."""
        return self._ids if self._ids is not None else bitsets.ids_of(self._bits)

    def change(self, removed: Sequence[int], added: Sequence[int], repeats: dict[int, int]) -> None:
        """Drop the ``removed`` ids (all holders now), then add the ``added`` ones, holding the
        term once unless ``repeats`` gives their frequency."""
        self._frequencies = None
        for gone in removed:
            self.repeats.pop(gone, None)
        self.repeats.update(repeats)
        if self._ids is not None:
            self._change_ids(removed, added)
        else:
            if removed:
                self._bits &= ~bitsets.from_ids(removed)
            self._bits |= bitsets.from_ids(added)
            self.count += len(added) - len(removed)
        if self._ids is not None and self._dense_now(self._ids):
            self._bits = bitsets.from_ids(self._ids)
            self._ids = None
        elif self._ids is None and self._sparse_now(self._bits):
            self._ids = array("i", bitsets.ids_of(self._bits))
            self._bits = 0

    def _dense_now(self, ids: array) -> bool:
        return self.count >= DENSE_FROM

    def _sparse_now(self, bits: int) -> bool:
        return self.count < DENSE_FROM // 2

    def _change_ids(self, removed: Sequence[int], added: Sequence[int]) -> None:
        ids = self._ids
        assert ids is not None  # change() calls this for a rare term, whose ids are listed
        if removed:
            gone = set(removed)
            ids = array("i", (holder for holder in ids if holder not in gone))
        if added:
            new_ids = sorted(added)
            if ids and new_ids[0] <= ids[-1]:
                ids = array("i", sorted([*ids, *new_ids]))
            else:
                ids.extend(new_ids)
        self._ids = ids
        self.count = len(ids)


class PairPostings(Postings):
    """The holders of a pair of adjacent terms, a bitset only where they are not rare."""

    __slots__ = ()

    def _dense_now(self, ids: array) -> bool:
        return bool(ids) and self.count * _PAIR_SHARE > ids[-1]

    def _sparse_now(self, bits: int) -> bool:
        return self.count * 2 * _PAIR_SHARE < bits.bit_length()


def union_of(postings: Iterable[Postings]) -> int:
    """Every candidate holding any of the postings: common terms' bitsets are or-ed, rare
    terms' ids gathered and turned into one bitset."""
    dense = 0
    rare: list[int] = []
    for each in postings:
        bits = each.dense_bits()
        if bits is None:
            rare.extend(each.ids())
        else:
            dense |= bits
    return dense | bitsets.from_ids(rare)


class Frequencies:
    """How often holders hold a term or phrase, where more than once: ``by_holder`` maps a
    holder to its frequency, ``by_frequency`` a frequency to the set of its holders, and
    ``holders`` is the set of them all."""

    __slots__ = ("by_frequency", "by_holder", "holders")

    def __init__(self, by_holder: dict[int, int], by_frequency: dict[int, int]) -> None:
        self.by_holder = by_holder
        self.by_frequency = by_frequency
        self.holders = bitsets.union(by_frequency.values())

    @classmethod
    def of(cls, by_holder: dict[int, int]) -> "Frequencies":
        return cls(by_holder, frequency_sets(by_holder))


def frequency_sets(repeats: dict[int, int]) -> dict[int, int]:
    """Frequency → the ids with it, from id → frequency."""
    grouped: dict[int, list[int]] = {}
    for holder, frequency in repeats.items():
        grouped.setdefault(frequency, []).append(holder)
    return {frequency: bitsets.from_ids(ids) for frequency, ids in grouped.items()}
