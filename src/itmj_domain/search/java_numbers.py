"""Java's ``Float.parseFloat`` and ``(int)`` cast, as Lucene applies them to what follows ``~``.

The fuzzy and proximity amount after ``~`` is any run of term characters; Lucene reads it with
``Float.parseFloat`` and falls back to the default when that fails, so ``~2f`` is 2 and ``~x``
is the default. Numbers are rounded to 32-bit floats, as Java does.
"""

import math
import re
import struct

_JAVA_FLOAT = re.compile(
    r"[+-]?(?:NaN|Infinity"
    r"|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[fFdD]?"
    r"|0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)[pP][+-]?\d+[fFdD]?)"
)
_INT_MIN, _INT_MAX = -(2**31), 2**31 - 1
# Halfway between the largest 32-bit float, (2 - 2**-23) * 2**127, and 2**128: from here on,
# rounding to nearest (ties to even) gives infinity.
_FLOAT32_OVERFLOW = 2.0**128 - 2.0**103


def float32(value: float) -> float:
    """``value`` rounded to the nearest 32-bit float, infinite beyond its range."""
    # Decided here rather than left to struct, which raises OverflowError for such values on
    # some Python versions and rounds them to infinity on others.
    if abs(value) >= _FLOAT32_OVERFLOW:
        return math.copysign(math.inf, value)
    rounded: float = struct.unpack("f", struct.pack("f", value))[0]
    return rounded


def parse_float(text: str) -> float | None:
    """``Float.parseFloat(text)``, or ``None`` where Java throws."""
    if not text.isascii() or not _JAVA_FLOAT.fullmatch(text):
        return None
    sign = -1.0 if text.startswith("-") else 1.0
    body = text.lstrip("+-")
    if body in ("NaN", "Infinity"):
        return math.nan if body == "NaN" else sign * math.inf
    body = body.rstrip("fFdD")
    value = float.fromhex(body) if body[:2] in ("0x", "0X") else float(body)
    return float32(sign * value)


def to_int(value: float) -> int:
    """Java's ``(int) value``: truncated toward zero, NaN is 0, out of range saturates."""
    if math.isnan(value):
        return 0
    if value >= _INT_MAX:
        return _INT_MAX
    if value <= _INT_MIN:
        return _INT_MIN
    return int(value)
