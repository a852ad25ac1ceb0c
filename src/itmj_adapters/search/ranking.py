"""The exact top of a ranking, best score first and ties by ascending id, without scoring
every match one by one.

A score is a sum of component values, and each component gives one of a few values (its
classes). Branch and bound over sets: a part of the matches carries the score it has so far
and the components still to apply, those every member meets and those some may not; its bound
adds their best values. The part with the highest bound is refined first: split into the
members that meet the next uncertain component and those that do not, or, once all are met,
by the classes of the next one. Parts that come out whole, with every component applied, thus
come out in score order; parts with equal scores are merged so that their ids interleave in
ascending order. A small part is scored member by member. With no component at all every
match scores 0, and the ranking is the ids in order.
"""

import heapq
import itertools
from collections import defaultdict
from collections.abc import Sequence

from itmj_adapters.search import bitsets
from itmj_adapters.search.scoring import Component

# A part whose size times the components left is this small is scored member by member,
# unless its components have so few classes that splitting it costs a few set operations.
_SMALL_WORK = 3000
# Sums of floats in another order may differ in the last bit: bounds are kept just above.
_SLACK = 1e-9

_Indexes = tuple[int, ...]


def rank(matches: int, components: Sequence[Component], offset: int, limit: int) -> list[int]:
    """The ids at ``offset`` to ``offset + limit`` of the ranking of ``matches``."""
    return _Ranking(matches, components).window(offset, limit)


class _Ranking:
    def __init__(self, matches: int, components: Sequence[Component]) -> None:
        self._components = sorted(components, key=lambda component: -component.maximum)
        self._order = itertools.count()
        # A part is a set of ids, or, once scored member by member, a tuple of them.
        self._heap: list[tuple[float, int, float, _Indexes, _Indexes, int | tuple[int, ...]]] = []
        self._push(0.0, (), tuple(range(len(self._components))), matches)

    def _push(
        self, score: float, met: _Indexes, unsure: _Indexes, part: int | tuple[int, ...]
    ) -> None:
        """Queue ``part``: every member meets the components ``met``, some may meet ``unsure``."""
        if met or unsure:
            best = sum(self._components[i].maximum for i in met + unsure)
            bound = (score + best) * (1 + _SLACK)
        else:
            bound = score
        heapq.heappush(self._heap, (-bound, next(self._order), score, met, unsure, part))

    def window(self, offset: int, limit: int) -> list[int]:
        found: list[int] = []
        seen = 0
        while self._heap and len(found) < limit:
            bits, ids = self._next_group()
            size = bits.bit_count() + len(ids)
            if seen + size > offset:
                skip, take = max(0, offset - seen), limit - len(found)
                if bits:
                    found.extend(bitsets.select(bits | bitsets.from_ids(ids), skip, take))
                else:
                    found.extend(sorted(ids)[skip : skip + take])
            seen += size
        return found

    def _next_group(self) -> tuple[int, list[int]]:
        """Every match with the next best score: a set of them and a list of more."""
        while True:
            _, _, score, met, unsure, part = heapq.heappop(self._heap)
            if not met and not unsure:
                break
            self._refine(score, met, unsure, part)
        bits = 0
        ids: list[int] = []
        while True:
            if isinstance(part, tuple):
                ids.extend(part)
            else:
                bits |= part
            if not self._heap or -self._heap[0][0] < score:
                return bits, ids
            _, _, other_score, met, unsure, part = heapq.heappop(self._heap)
            while met or unsure:
                self._refine(other_score, met, unsure, part)
                if not self._heap or -self._heap[0][0] < score:
                    return bits, ids
                _, _, other_score, met, unsure, part = heapq.heappop(self._heap)

    def _refine(self, score: float, met: _Indexes, unsure: _Indexes, part: int) -> None:
        pending = met + unsure
        if part.bit_count() * len(pending) <= _SMALL_WORK and any(
            len(self._components[index].classes) > 2 for index in pending
        ):
            self._score_members(score, tuple(sorted(pending)), part)
            return
        if unsure:
            inside = part & self._components[unsure[0]].bits
            now_met = tuple(sorted((*met, unsure[0])))
            if inside == part:
                self._push(score, now_met, unsure[1:], part)
                return
            if inside:
                self._push(score, now_met, unsure[1:], inside)
            self._push(score, met, unsure[1:], part ^ inside)
            return
        component = self._components[met[0]]
        for value, members in component.classes:
            piece = part & members
            if piece:
                self._push(score + value, met[1:], (), piece)
                part ^= piece
                if not part:
                    break

    def _score_members(self, score: float, pending: _Indexes, part: int) -> None:
        """Score each member: the components' values are added in the same order as splitting
        would add them, so equal scores come out as equal floats either way."""
        totals: dict[int, float] = {}
        for index in pending:
            component = self._components[index]
            value_of = component.value_of
            for member in bitsets.ids_of(part & component.bits):
                totals[member] = totals.get(member, score) + value_of(member)
        by_score: defaultdict[float, list[int]] = defaultdict(list)
        for member, total in totals.items():
            by_score[total].append(member)
        for total, members in by_score.items():
            self._push(total, (), (), tuple(members))
        unscored = part & ~bitsets.from_ids(list(totals))
        if unscored:
            self._push(score, (), (), unscored)
