"""Field lengths as Lucene stores them: one byte per field, exact up to 23 tokens, then with
four significant bits (``SmallFloat.intToByte4``).

BM25 reads the length back from that byte, as Lucene does. The coarse steps also mean that a
field holds few distinct length classes, and the ranking exploits that: candidates of one
class score alike for a term.
"""

from collections.abc import Iterable

_FREE_VALUES = 24
_MAX_BYTE = 255


def _int_to_int4(value: int) -> int:
    bits = value.bit_length()
    if bits < 4:
        return value
    shift = bits - 4
    return ((value >> shift) & 0x07) | ((shift + 1) << 3)


def _int4_to_int(code: int) -> int:
    bits = code & 0x07
    shift = (code >> 3) - 1
    return bits if shift == -1 else (bits | 0x08) << shift


def length_norm(length: int) -> int:
    """The byte that stands for a field of ``length`` tokens."""
    if length < _FREE_VALUES:
        return length
    return min(_MAX_BYTE, _FREE_VALUES + _int_to_int4(length - _FREE_VALUES))


# The norm byte of every length a field of a CV plausibly has; longer ones are computed.
_NORM_OF_LENGTH = tuple(length_norm(length) for length in range(1 << 13))


def length_norms(lengths: Iterable[int]) -> list[int]:
    """``length_norm`` of each length, read from a table in C (computed past its end)."""
    lengths = list(lengths)
    try:
        return list(map(_NORM_OF_LENGTH.__getitem__, lengths))
    except IndexError:
        return list(map(length_norm, lengths))


def _decode(norm: int) -> int:
    return norm if norm < _FREE_VALUES else _FREE_VALUES + _int4_to_int(norm - _FREE_VALUES)


DECODED_LENGTH = tuple(_decode(norm) for norm in range(_MAX_BYTE + 1))
