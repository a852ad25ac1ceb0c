"""Sets of non-negative integers (candidate ids) as Python integers: bit ``i`` means ``i``.

Union, intersection and difference are then single C-level operations on machine words, which
is what makes boolean queries over a hundred thousand candidates cheap in Python. Converting
between ids and bits is the slow part, so these helpers pick the fastest route by size.
"""

import itertools
import operator
from collections.abc import Iterable, Sequence

_BIT = tuple(1 << shift for shift in range(8))
# Below this many ids, setting bits one by one beats building a byte per candidate.
_FEW_IDS = 128
# Up to this many members, reading them chunk by chunk beats a byte per candidate.
_FEW_BITS = 700
_VERY_FEW_BITS = 4
# Members at most one in this many: only the bytes holding one are looked at, one by one.
_SPARSE = 40
# Marks at least one in this many 1s are read byte by byte: a run of 0s costs about what
# this many bytes read do.
_MANY_MARKS = 5
# Any byte but 0 → 1.
HELD = bytes([0] + [1] * 255)
# ONLY[value] turns that byte into 1 and every other into 0.
ONLY = tuple(bytes(256)[:value] + b"\x01" + bytes(256)[value + 1 :] for value in range(256))
_BITS_OF = tuple(tuple(bit for bit in range(8) if value >> bit & 1) for value in range(256))
# _LOWEST[value]: the lowest bit that byte holds (0 for none).
_LOWEST = bytes(max(0, (value & -value).bit_length() - 1) for value in range(256))
# _SEVERAL[value]: 1 for a byte holding more than one member, else 0.
_SEVERAL = bytes(int(value.bit_count() > 1) for value in range(256))
_CHUNK = 256
_ZERO_CHUNK = bytes(_CHUNK)
_BYTE_PER_BIT = tuple(
    bytes.maketrans(bytes(range(256)), bytes((b >> s) & 1 for b in range(256))) for s in range(8)
)


def from_ids(ids: Sequence[int]) -> int:
    """The set holding ``ids`` (any order, repeats allowed). Only the span from the smallest
    id to the largest is built and then shifted into place: a batch of new candidates holds
    high, close ids, and a set the size of the whole index would cost far more."""
    if not ids:
        return 0
    if len(ids) == 1:
        return 1 << ids[0]
    base = min(ids) & ~7
    if len(ids) < _FEW_IDS:
        start = base >> 3
        packed = bytearray((max(ids) >> 3) + 1 - start)
        for member in ids:
            packed[(member >> 3) - start] |= _BIT[member & 7]
        return int.from_bytes(packed, "little") << base
    marks = bytearray(max(ids) - base + 8)
    for member in ids:
        marks[member - base] = 1
    return pack(marks) << base


def pack(marks: bytes | bytearray) -> int:
    """The set from one byte (0 or 1) per candidate: eight strided slices, each one bit
    plane."""
    result = 0
    for shift in range(8):
        result |= int.from_bytes(marks[shift::8], "little") << shift
    return result


def _marks(bits: int) -> bytearray:
    """One byte (0 or 1) per candidate up to the highest member."""
    packed = bits.to_bytes((bits.bit_length() + 7) >> 3, "little")
    marks = bytearray(len(packed) * 8)
    for shift in range(8):
        marks[shift::8] = packed.translate(_BYTE_PER_BIT[shift])
    return marks


def ids_of(bits: int) -> list[int]:
    """The members, ascending."""
    count = bits.bit_count()
    if count <= _FEW_BITS:
        return _lowest(bits, count)
    if count * _SPARSE < bits.bit_length():
        return _sparse_ids(bits)
    return positions_of(_marks(bits))


def _sparse_ids(bits: int) -> list[int]:
    """The members of a set few against its width: only the bytes holding one are looked at.
    Each member is the sum of the steps up to it, so the only integers made one by one are the
    members themselves: a step is 8 per byte from the previous held byte, plus the change in
    lowest bit, small enough to be one of the integers Python keeps at hand. A byte holding
    several members gives its others afterwards, sorted in."""
    packed = bits.to_bytes((bits.bit_length() + 7) >> 3, "little")
    gaps = packed.translate(HELD).split(b"\x01")
    gaps.pop()
    values = packed.translate(None, b"\x00")
    lowest = int.from_bytes(values.translate(_LOWEST), "little")
    # Per held byte, 8 plus its lowest bit less the previous one's: 1 to 15, so no byte of the
    # sum borrows from the next (the last lowest bit is taken off past the end, hence signed).
    changes = (lowest + int.from_bytes(b"\x08" * len(values), "little") - (lowest << 8)).to_bytes(
        len(values) + 1, "little", signed=True
    )
    steps = map(operator.add, map(operator.mul, map(len, gaps), itertools.repeat(8)), changes)
    found = list(itertools.accumulate(steps, initial=-8))
    del found[0]
    several = values.translate(_SEVERAL)
    if several.find(1) >= 0:
        found += [
            (found[held] & ~7) + bit
            for held in positions_of(several)
            for bit in _BITS_OF[values[held]][1:]
        ]
        found.sort()
    return found


def positions_of(marks: bytes | bytearray) -> list[int]:
    """Where ``marks`` (one byte, 0 or 1, per candidate) holds a 1, ascending, in C: read
    byte by byte where 1s are many, else from the lengths of the runs of 0 between them."""
    if marks.count(1) * _MANY_MARKS > len(marks):
        return list(itertools.compress(range(len(marks)), marks))
    runs = marks.split(b"\x01")
    runs.pop()
    steps = map(operator.add, map(len, runs), itertools.repeat(1))
    found = list(itertools.accumulate(steps, initial=-1))
    del found[0]
    return found


def masked(values: bytes, marks: bytes) -> bytes:
    """``values`` where ``marks`` (one byte, 0 or 1, each) holds a 1, 0 elsewhere."""
    kept = int.from_bytes(values, "little") & int.from_bytes(marks, "little") * 0xFF
    return kept.to_bytes(len(values), "little")


def without(values: bytes, part: bytes) -> bytes:
    """``values`` with 0 where ``part`` (some of them, 0 elsewhere) holds one."""
    kept = int.from_bytes(values, "little") ^ int.from_bytes(part, "little")
    return kept.to_bytes(len(values), "little")


def _lowest(bits: int, count: int) -> list[int]:
    """The ``count`` smallest members."""
    if bits.bit_count() <= _VERY_FEW_BITS:
        found: list[int] = []
        while bits and len(found) < count:
            low = bits & -bits
            found.append(low.bit_length() - 1)
            bits ^= low
        return found
    return _lowest_by_chunks(bits, count)


def _lowest_by_chunks(bits: int, count: int) -> list[int]:
    """The set is cut into chunks, and only chunks holding members become (small, cheap)
    integers."""
    packed = bits.to_bytes((bits.bit_length() + 7) >> 3, "little")
    found: list[int] = []
    for start in range(0, len(packed), _CHUNK):
        chunk = packed[start : start + _CHUNK]
        if chunk == _ZERO_CHUNK[: len(chunk)]:
            continue
        members = int.from_bytes(chunk, "little")
        base = start << 3
        while members:
            low = members & -members
            found.append(base + low.bit_length() - 1)
            if len(found) == count:
                return found
            members ^= low
    return found


def select(bits: int, skip: int, take: int) -> list[int]:
    """Members in ascending order, leaving out the first ``skip`` and keeping ``take``."""
    if take <= 0:
        return []
    if skip:
        bits &= ~((1 << _position_after(bits, skip)) - 1)
    if take <= _FEW_BITS:
        return _lowest(bits, take)
    return ids_of(bits)[:take]


def _position_after(bits: int, count: int) -> int:
    """The smallest ``p`` such that ``count`` members are below ``p``."""
    low, high = 0, bits.bit_length()
    while low < high:
        middle = (low + high) >> 1
        if (bits & ((1 << middle) - 1)).bit_count() >= count:
            high = middle
        else:
            low = middle + 1
    return low


def union(sets: Iterable[int]) -> int:
    result = 0
    for each in sets:
        result |= each
    return result


def contains(bits: int, member: int) -> bool:
    return bool(bits >> member & 1)
