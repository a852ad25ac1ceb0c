"""The top of the ranking of few matches, from an upper bound of every match's score worked
out in bulk, then only the matches that can reach the top scored one by one.

Over the matches' own numbering (``renumbering``), each component bounds its value for each
match by a table keyed by a byte per match (``Narrowed``). Scaled to whole units, each bound a
byte, the tables are applied in C (``bytes.translate``) and every match's bounds are added at
once: each match's sum is a 16-bit lane of one integer. The matches are then taken from the
highest bounds down and scored exactly, adding values in the ranking's order; once the top
``offset + limit`` are known among them, a band whose bounds all fall below the last of those
scores cannot hold a better one, nor can any below it. Bands are scored together, as a pass
over every component costs the same for one band as for many: first those down to the band
that makes ``offset + limit``, then every band whose bounds reach the last of their scores
(band by band only where these would be too many to score). Ties go by id, which the
numbering keeps in order.

When the bands to score hold many of the matches (scores much alike), splitting sets
(``ranking``) does better, and the ranking by bounds gives up.
"""

import heapq
import itertools
import math
import operator
from collections.abc import Sequence

from itmj_adapters.search import bitsets, work
from itmj_adapters.search.narrowed import Narrowed
from itmj_adapters.search.renumbering import Renumbering
from itmj_adapters.search.scoring import Component
from itmj_domain.search.budget import WorkBudget

# The largest value of any component, in units; each bound is rounded up and one unit added,
# which keeps it above the value whatever the rounding of floats, and within a byte.
_UNITS = 250
_MOST_UNITS = _UNITS + 2
_LANE_BYTES = 2
# So many components' bounds fit in a lane.
MOST_COMPONENTS = (1 << 8 * _LANE_BYTES) // _MOST_UNITS - 1
# Matches are taken in bands of bounds that a byte numbers.
_BAND_BITS = 8
# Scoring one by one more than one match in this many gives up, unless they are this few.
_MOST_SCORED_SHARE = 4
_FEW_SCORED = 256


def window(
    renumbering: Renumbering,
    components: Sequence[Component],
    narrowed: Sequence[Narrowed],
    offset: int,
    limit: int,
    budget: WorkBudget,
    start: float = 0.0,
) -> list[tuple[int, float]] | None:
    """The new numbers at ``offset`` to ``offset + limit`` of the ranking of every match, by
    ``components`` in the order their values are added to ``start`` (``narrowed``: each
    one's bytes), with their scores, or ``None`` when too many would be scored one by one."""
    size = renumbering.size
    wanted = offset + limit
    budget.spend(work.SET_OPERATION * sum(len(each.layers) for each in narrowed))
    scale = _UNITS / max(
        (value for each in narrowed for _, values in each.layers for value in values.values()),
        default=_UNITS,
    )
    totals, most = _bounds(narrowed, scale, size)
    shift = max(0, most.bit_length() - _BAND_BITS)
    low_bytes = int.from_bytes((b"\xff" + bytes(_LANE_BYTES - 1)) * size, "little")
    bands = ((totals >> shift) & low_bytes).to_bytes(_LANE_BYTES * size, "little")[::_LANE_BYTES]
    scores: dict[int, float] = {}
    least: float | None = None
    most_scored = max(size // _MOST_SCORED_SHARE, _FEW_SCORED)
    top = most >> shift
    while top >= 0:
        if least is not None and start + (((top + 1) << shift) - 1) / scale < least:
            break
        low = _lowest_band(bands, top, len(scores), wanted, least, start, shift, scale)
        members = _members(bands, low, top)
        if len(scores) + len(members) > most_scored and low < top:
            low = top
            members = _members(bands, low, top)
        if len(scores) + len(members) > most_scored:
            return None
        budget.spend(work.SET_OPERATION * (top + 1 - low))
        scores.update(_scored(renumbering, components, narrowed, members, budget, start))
        if len(scores) >= wanted:
            least = _best(scores, wanted)[-1][1]
        top = low - 1
    return _best(scores, wanted)[offset:]


def _lowest_band(
    bands: bytes,
    top: int,
    scored: int,
    wanted: int,
    least: float | None,
    start: float,
    shift: int,
    scale: float,
) -> int:
    """The lowest band to score together with ``top``: down to the one that makes ``wanted``
    scored when fewer are (``scored``), else every band whose bounds reach ``least``."""
    low = top
    if least is None:
        found = scored + bands.count(low)
        while found < wanted and low > 0:
            low -= 1
            found += bands.count(low)
        return low
    while low > 0 and start + ((low << shift) - 1) / scale >= least:
        low -= 1
    return low


def _members(bands: bytes, low: int, top: int) -> list[int]:
    """The matches whose band is ``low`` to ``top``."""
    if low == top:
        if bands.find(top) < 0:
            return []
        return bitsets.positions_of(bands.translate(bitsets.ONLY[top]))
    table = bytes(low) + b"\x01" * (top + 1 - low) + bytes(255 - top)
    return bitsets.positions_of(bands.translate(table))


def _bounds(narrowed: Sequence[Narrowed], scale: float, size: int) -> tuple[int, int]:
    """Every match's bound, in units, one 16-bit lane each, and the largest bound there can be."""
    totals = 0
    most = 0
    for each in narrowed:
        largest = 0
        for keys, values in each.layers:
            table = bytearray(256)
            for key, value in values.items():
                table[key] = math.ceil(value * scale) + 1
            lanes = bytearray(_LANE_BYTES * size)
            lanes[::_LANE_BYTES] = keys.translate(table)
            totals += int.from_bytes(lanes, "little")
            largest = max(largest, *table)
        most += largest
    return totals, most


def _scored(
    renumbering: Renumbering,
    components: Sequence[Component],
    narrowed: Sequence[Narrowed],
    members: list[int],
    budget: WorkBudget,
    start: float,
) -> dict[int, float]:
    """The score of each of ``members`` (ascending), values added to ``start`` in the
    components' order."""
    totals = dict.fromkeys(members, start)
    for component, each in zip(components, narrowed, strict=True):
        meeting = list(itertools.compress(members, map(each.marks.__getitem__, members)))
        budget.spend(work.MEMBER_SCORED * len(meeting))
        values = component.values_of(list(map(renumbering.ids.__getitem__, meeting)))
        sums = map(operator.add, map(totals.__getitem__, meeting), values)
        totals.update(zip(meeting, sums, strict=True))
    return totals


def _best(scores: dict[int, float], count: int) -> list[tuple[int, float]]:
    """The ``count`` best of ``scores``, best first, ties by ascending number."""
    return heapq.nsmallest(count, scores.items(), key=lambda entry: (-entry[1], entry[0]))
