"""Few matches numbered among themselves, so that the ranking works on sets as wide as the
matches rather than as wide as the index.

A set of candidates is as wide as the largest id (125 kB at a million candidates), and every
set operation of the ranking's branch and bound pays that width, tens of them per component.
When the matches are few against that width, each set the ranking reads is carried over once
instead: match ``i`` (in ascending id order) becomes member ``i``, which keeps ties in id
order. Carrying a set over reads, per match, the byte of the set that holds it, in C; a
field's norm bytes are read the same way, once, and its norm classes are built from them.
The bytes read come as a tuple of integers, which a ``bytearray`` takes in about half the time
``bytes`` does.
"""

import operator
from collections import deque
from collections.abc import Callable, Sequence
from itertools import repeat

from itmj_adapters.search import bitsets
from itmj_adapters.search.postings import Frequencies, frequency_sets

# _BIT_PLANES[bit] turns each byte into that bit of it.
_BIT_PLANES = tuple(bytes(value >> bit & 1 for value in range(256)) for bit in range(8))
# _OWN_BIT[position & 7]: the bit of a candidate in the byte that holds it.
_OWN_BIT = bytes(1 << (value & 7) for value in range(256))
# Frequencies from this one up are grouped one by one.
_MANY = 255
# Carrying one set over costs about what reading this many members' frequencies from a common
# term's map does: that map is large, and each read misses the processor's caches.
_READS_PER_SET = 300


def _getter(positions: Sequence[int]) -> Callable[[Sequence[int]], tuple[int, ...]]:
    """The items at ``positions``, as a tuple, read in C."""
    if len(positions) == 1:
        only = positions[0]
        return lambda values: (values[only],)
    return operator.itemgetter(*positions)


class Renumbering:
    """The matches in ascending order (``ids``): set members and per-candidate bytes carried
    over to their positions there."""

    def __init__(self, matches: int) -> None:
        self._matches = matches
        self.ids = bitsets.ids_of(matches)
        self.size = len(self.ids)
        self.everything = (1 << self.size) - 1
        self._width = (matches.bit_length() + 7) >> 3
        self._at_ids = _getter(self.ids)
        self._at_bytes = _getter(list(map(operator.rshift, self.ids, repeat(3))))
        own_bits = bytearray(map(operator.and_, self.ids, repeat(7))).translate(_OWN_BIT)
        self._own_bits = int.from_bytes(own_bits, "little")
        self._norms: dict[int, tuple[bytearray, bytearray, dict[int, int]]] = {}
        self._norm_bytes: dict[int, tuple[bytearray, bytes, list[int]]] = {}

    def marks(self, members: int) -> bytes:
        """One byte per match: 1 where it is in ``members`` (any set: only the matches' bits
        are read, so others need no clearing but past the matches' width)."""
        if members == self._matches:
            return b"\x01" * self.size
        if members.bit_length() > self._width << 3:
            members &= self._matches
        held = bytearray(self._at_bytes(members.to_bytes(self._width, "little")))
        own = int.from_bytes(held, "little") & self._own_bits
        return own.to_bytes(self.size, "little").translate(bitsets.HELD)

    def bits(self, members: int) -> int:
        """``members`` (a subset of the matches), renumbered: a component every match meets
        (a required term's) costs nothing."""
        if members == self._matches:
            return self.everything
        return bitsets.pack(self.marks(members))

    def positions(self, members: int) -> list[int]:
        """The new numbers of ``members`` (a subset of the matches), ascending."""
        return bitsets.positions_of(self.marks(members))

    def frequencies(self, frequencies: Frequencies, members: int) -> Frequencies:
        """The frequencies of ``members`` (a subset of the matches) renumbered: each
        frequency's set carried over, or, when the members holding the term more than once
        are few against the frequencies they hold, each one's frequency read."""
        repeated = members & frequencies.holders
        if not repeated:
            return Frequencies({}, {})
        held = [
            (frequency, common)
            for frequency, holders in frequencies.by_frequency.items()
            if (common := holders & repeated)
        ]
        if len(held) * _READS_PER_SET > repeated.bit_count():
            positions = self.positions(repeated)
            counts = list(
                map(frequencies.by_holder.__getitem__, map(self.ids.__getitem__, positions))
            )
            return Frequencies(
                dict(zip(positions, counts, strict=True)), self._frequency_sets(positions, counts)
            )
        by_holder: dict[int, int] = {}
        by_frequency = {}
        for frequency, common in held:
            marks = self.marks(common)
            by_frequency[frequency] = bitsets.pack(marks)
            by_holder.update(zip(bitsets.positions_of(marks), repeat(frequency)))
        return Frequencies(by_holder, by_frequency)

    def _frequency_sets(self, positions: list[int], frequencies: list[int]) -> dict[int, int]:
        """Frequency → the members (new numbers) holding it, from each member's frequency (there
        is at least one member): grouped in C as the norm classes are, but for frequencies a
        byte cannot hold."""
        held = bytearray(self.size)
        distinct = set(frequencies)
        too_many = max(distinct) >= _MANY
        capped = map(min, frequencies, repeat(_MANY)) if too_many else frequencies
        deque(map(held.__setitem__, positions, capped), maxlen=0)
        grouped = {
            frequency: bitsets.pack(held.translate(bitsets.ONLY[frequency]))
            for frequency in distinct
            if frequency < _MANY
        }
        if too_many:
            many = {
                position: frequency
                for position, frequency in zip(positions, frequencies, strict=True)
                if frequency >= _MANY
            }
            grouped.update(frequency_sets(many))
        return grouped

    def norms(self, norms: bytearray) -> tuple[bytearray, dict[int, int]]:
        """A field's norm bytes (``norms``, by candidate id) renumbered, and the matches by
        norm byte (those with no text in the field left out), worked out once per field."""
        known = self._norms.get(id(norms))
        if known is None or known[0] is not norms:
            renumbered = bytearray(self.norm_bytes(norms)[0])
            known = self._norms[id(norms)] = (norms, renumbered, self._by_value(renumbered))
        return known[1], known[2]

    def norm_bytes(self, norms: bytearray) -> tuple[bytes, list[int]]:
        """A field's norm bytes (``norms``, by candidate id) renumbered, and the distinct ones
        but 0 (no text), ascending: read once per field."""
        known = self._norm_bytes.get(id(norms))
        if known is None or known[0] is not norms:
            renumbered = bytes(bytearray(self._at_ids(norms)))
            # A search in C per byte value costs less than a set of every match's byte.
            present = [value for value in range(1, 256) if renumbered.find(value) >= 0]
            known = self._norm_bytes[id(norms)] = (norms, renumbered, present)
        return known[1], known[2]

    def _by_value(self, values: bytearray) -> dict[int, int]:
        """The matches by their byte in ``values`` (those with 0 left out). A field's norm
        bytes take dozens of values: the bytes' eight bit planes are packed once, and each
        value's members are then eight operations on sets as wide as the matches, rather
        than a pass over every match per value."""
        everything = self.everything
        planes = [bitsets.pack(values.translate(plane)) for plane in _BIT_PLANES]
        inverses = [everything ^ plane for plane in planes]
        found = {}
        for value in sorted(set(values) - {0}):
            members = everything
            for bit, (plane, inverse) in enumerate(zip(planes, inverses, strict=True)):
                members &= plane if value >> bit & 1 else inverse
            found[value] = members
        return found
