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
match scores 0, and the ranking is the ids in order. When every component gives one and the
same value (constant-score terms, unboosted: wildcards, fuzzy terms and the like), a score
only depends on how many components a member meets, so members are grouped by that count, kept
as a binary counter per member, one set per bit, instead of being split component by
component, which many such components would make explode. Refining and scoring spend from the
search's work budget. Matches few against the width of the index are first numbered among
themselves (``renumbering``), so that the sets split are only as wide as the matches; when
they are also many against the ranks asked for, they are first ranked by bounds
(``bounds``), which scores few of them, and split as above only when that gives up. Over the
whole width, a part to be scored member by member that is few against the width and many
against the ranks asked for is ranked by bounds the same way, keeping only its best.
"""

import heapq
import itertools
import operator
from collections.abc import Iterator, Sequence
from itertools import repeat

from itmj_adapters.search import bitsets, bounds, work
from itmj_adapters.search.renumbering import Renumbering
from itmj_adapters.search.scoring import Component
from itmj_adapters.search.work import WORK_BUDGET
from itmj_domain.search.budget import WorkBudget

# A part whose members meet the components left at most this many times per component (in
# all) is scored member by member: splitting costs set operations for every component left,
# so the more components, the more scoring one by one pays. Not when every component gives
# one value: then splitting costs a few set operations.
_SMALL_WORK_PER_COMPONENT = 1000
# The same over renumbered matches, where a set operation costs about what scoring a few
# members does.
_NARROW_SMALL_WORK_PER_COMPONENT = 16
# Members of a part are listed once, rather than those of each component, when they meet at
# least one in this many of the components.
_MEETING_SHARE = 4
# Matches at most one in this many of the index's width are renumbered among themselves
# (``renumbering``) before ranking: carrying a set over costs about what a few set operations
# on the whole width cost, and splitting a term's members by norm byte does far more. Constant
# components split in a few set operations, and are ranked as they are; so are matches whose
# renumbering the budget left cannot pay for (many components), as they were before.
_SPARSE = 64
# Nor are matches in an index narrower than this many candidates, whose set operations cost
# little whatever they hold.
_WIDE = 1 << 18
# Matches at least this many times the ranks wanted (offset and limit) are first ranked by
# bounds (``bounds``): then few of them are scored.
_FEW_WANTED = 8
# A part to be scored member by member over the whole width is ranked by bounds only when its
# members meet its components at least this many times per rank wanted: numbering fewer among
# themselves costs more than scoring them.
_BOUNDED_VALUES_PER_WANTED = 50
# Sums of floats in another order may differ in the last bit: bounds are kept just above.
_SLACK = 1e-9

_Indexes = tuple[int, ...]


class _Scored:
    """Members scored one by one, best first (ties by id), handed out a score at a time."""

    def __init__(self, totals: dict[int, float]) -> None:
        # Worst last-to-be-taken first: the best (score, then lowest id) sits at the end.
        self.rest = sorted(
            zip(map(operator.neg, totals.values()), totals, strict=True), reverse=True
        )

    @property
    def best_score(self) -> float:
        return -self.rest[-1][0]

    def take_best(self) -> list[int]:
        best = self.rest[-1][0]
        taken = []
        while self.rest and self.rest[-1][0] == best:
            taken.append(self.rest.pop()[1])
        return taken


def rank(
    matches: int,
    components: Sequence[Component],
    offset: int,
    limit: int,
    budget: WorkBudget | None = None,
) -> list[int]:
    """The ids at ``offset`` to ``offset + limit`` of the ranking of ``matches``, spending from
    ``budget`` (a fresh one by default). When few members meet few components, every one is
    scored (without working out any classes)."""
    spending = WorkBudget(WORK_BUDGET) if budget is None else budget
    size = matches.bit_count()
    price = work.renumbering(size, len(components))
    if (
        0 < size * _SPARSE <= matches.bit_length()
        and matches.bit_length() >= _WIDE
        and not all(component.constant for component in components)
        and price <= spending.remaining
    ):
        spending.spend(price)
        renumbering = Renumbering(matches)
        if (offset + limit) * _FEW_WANTED <= size and len(components) <= bounds.MOST_COMPONENTS:
            found = _by_bounds(renumbering, components, offset, limit, spending)
            if found is not None:
                return [renumbering.ids[position] for position, _ in found]
        narrow = [component.renumbered(renumbering) for component in components]
        positions = _Ranking(
            renumbering.everything, narrow, spending, _NARROW_SMALL_WORK_PER_COMPONENT
        ).window(offset, limit)
        return list(map(renumbering.ids.__getitem__, positions))
    return _Ranking(matches, components, spending, wanted=offset + limit).window(offset, limit)


def _by_bounds(
    renumbering: Renumbering,
    components: Sequence[Component],
    offset: int,
    limit: int,
    budget: WorkBudget,
) -> list[tuple[int, float]] | None:
    """The window over the matches' numbering, ranked by bounds (``bounds``), with the
    scores, or ``None`` when that gives up."""
    narrowed = [component.narrowed(renumbering) for component in components]
    meeting = sum(each.marks.count(1) for each in narrowed)
    few = meeting <= _SMALL_WORK_PER_COMPONENT * len(components)
    indexes = _order([each.maximum for each in narrowed], few)
    return bounds.window(
        renumbering,
        [components[index] for index in indexes],
        [narrowed[index] for index in indexes],
        offset,
        limit,
        budget,
    )


def summation_order(components: Sequence[Component]) -> list[Component]:
    """The order in which a member's component values are added up (floats are not
    associative, so equal scores must be summed alike): as given when few members meet few
    components and all are scored one by one, otherwise largest maximum first."""
    counts = _small(components, [component.bits for component in components])
    return _ordered(components, counts is not None)


def _ordered(components: Sequence[Component], few: bool) -> list[Component]:
    return [
        components[index] for index in _order([component.maximum for component in components], few)
    ]


def _order(maxima: Sequence[float], few: bool) -> list[int]:
    """Where each component comes in the summation order, by their maxima."""
    if few:
        return list(range(len(maxima)))
    return sorted(range(len(maxima)), key=lambda index: -maxima[index])


def _small(
    components: Sequence[Component],
    meeting: list[int],
    per_component: int = _SMALL_WORK_PER_COMPONENT,
) -> list[int] | None:
    """How many members meet each of ``components`` (``meeting``: those meeting each) when
    they are best scored one by one (at most ``per_component`` times per component), else
    ``None``: counting stops as soon as they are too many, as counting a set walks the whole
    width of the index."""
    if all(component.constant for component in components):
        return None
    limit = per_component * len(components)
    counts = []
    for members in meeting:
        counts.append(members.bit_count())
        limit -= counts[-1]
        if limit < 0:
            return None
    return counts


def _alike(components: Sequence[Component]) -> bool:
    """Whether every component gives every member one and the same value."""
    return all(component.constant for component in components) and (
        len({component.maximum for component in components}) == 1
    )


class _Ranking:
    def __init__(
        self,
        matches: int,
        components: Sequence[Component],
        budget: WorkBudget,
        small_work: int = _SMALL_WORK_PER_COMPONENT,
        wanted: int | None = None,
    ) -> None:
        """``wanted``: how many of the best a window reads at most, when a part scored member
        by member may be ranked by bounds (matches numbered by id, as wide as the index)."""
        self._small_work = small_work
        self._wanted = wanted
        self._order = itertools.count()
        self._heap: list[tuple[float, int, float, _Indexes, _Indexes, int | _Scored]] = []
        counts = _small(components, [component.bits for component in components])
        self._components = _ordered(components, counts is not None)
        self._budget = budget
        self._width = (matches.bit_length() + 7) >> 3
        self._bytes: dict[int, bytes] = {}
        everything = tuple(range(len(components)))
        if len(components) > 1 and _alike(components):
            self._push_by_count(matches)
        elif counts is not None:
            meeting = [component.bits for component in self._components]
            self._score_members(0.0, everything, matches, meeting, counts)
        else:
            self._push(0.0, (), everything, matches)

    def _push(self, score: float, met: _Indexes, unsure: _Indexes, part: int | _Scored) -> None:
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
            assert isinstance(part, int)  # a part is only scored member by member once whole
            self._refine(score, met, unsure, part)
        bits = 0
        ids: list[int] = []
        while True:
            if isinstance(part, _Scored):
                ids.extend(part.take_best())
                if part.rest:
                    self._push(part.best_score, (), (), part)
            else:
                bits |= part
            if not self._heap or -self._heap[0][0] < score:
                return bits, ids
            _, _, other_score, met, unsure, part = heapq.heappop(self._heap)
            while met or unsure:
                assert isinstance(part, int)  # as above
                self._refine(other_score, met, unsure, part)
                if not self._heap or -self._heap[0][0] < score:
                    return bits, ids
                _, _, other_score, met, unsure, part = heapq.heappop(self._heap)

    def _push_by_count(self, matches: int) -> None:
        """Queue the matches by how many components they meet, with the score of that many
        (the one value added that many times, as scoring one by one adds it)."""
        components = self._components
        counter: list[int] = []
        for component in components:
            self._budget.spend(work.SET_OPERATION * (1 + len(counter)))
            carry = component.bits & matches
            for bit, members in enumerate(counter):
                if not carry:
                    break
                counter[bit], carry = members ^ carry, members & carry
            if carry:
                counter.append(carry)
        value = components[0].maximum
        scores = list(itertools.accumulate(repeat(value, len(components)), initial=0.0))
        rest = matches
        for count in range(min(len(components), (1 << len(counter)) - 1), 0, -1):
            if not rest:
                return
            self._budget.spend(work.SET_OPERATION * len(counter))
            meeting = rest
            for bit, members in enumerate(counter):
                meeting &= members if count >> bit & 1 else ~members
            if meeting:
                self._push(scores[count], (), (), meeting)
                rest ^= meeting
        if rest:
            self._push(0.0, (), (), rest)

    def _refine(self, score: float, met: _Indexes, unsure: _Indexes, part: int) -> None:
        self._budget.spend(work.REFINING * (1 + len(met) + len(unsure)))
        pending = tuple(sorted(met + unsure))
        components = [self._components[index] for index in pending]
        if not all(component.constant for component in components):
            meeting = [part & component.bits for component in components]
            counts = _small(components, meeting, self._small_work)
            if counts is not None:
                self._score_members(score, pending, part, meeting, counts)
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

    def _score_members(
        self, score: float, pending: _Indexes, part: int, meeting: list[int], counts: list[int]
    ) -> None:
        """Score each member (``meeting``: the members meeting each pending component, and
        ``counts`` how many). The values are added in the same order as splitting would add
        them, so equal scores come out as equal floats either way. Only the best ``wanted``
        are kept when the part is ranked by bounds: the others rank below at least that many,
        and no window reads them."""
        best = self._best_by_bounds(score, pending, part, sum(counts))
        if best is not None:
            if best:
                scored = _Scored(best)
                self._push(scored.best_score, (), (), scored)
            return
        self._budget.spend(work.MEMBER_SCORED * sum(counts))
        totals: dict[int, float] = {}
        meeting_ids = self._meeting_ids(part, pending, meeting, counts)
        for index, met in zip(pending, meeting_ids, strict=True):
            values = self._components[index].values_of(met)
            sums = map(operator.add, map(totals.get, met, repeat(score)), values)
            totals.update(zip(met, sums, strict=True))
        if totals:
            scored = _Scored(totals)
            self._push(scored.best_score, (), (), scored)
        unscored = part & ~bitsets.union(meeting)
        if unscored:
            self._push(score, (), (), unscored)

    def _best_by_bounds(
        self, score: float, pending: _Indexes, part: int, values: int
    ) -> dict[int, float] | None:
        """The best ``wanted`` members of ``part`` and their scores, ranked by bounds over a
        numbering of their own, when they are few against the index's width and many
        against ``wanted``, and scoring them all would work out many ``values`` (and
        ``None`` otherwise, or when that gives up)."""
        wanted = self._wanted
        width = part.bit_length()
        if (
            wanted is None
            or values < _BOUNDED_VALUES_PER_WANTED * wanted
            or width < _WIDE
            or len(pending) > bounds.MOST_COMPONENTS
        ):
            return None
        size = part.bit_count()
        price = work.renumbering(size, len(pending))
        if not wanted * _FEW_WANTED <= size <= width // _SPARSE or price > self._budget.remaining:
            return None
        self._budget.spend(price)
        renumbering = Renumbering(part)
        components = [self._components[index] for index in pending]
        narrowed = [component.narrowed(renumbering) for component in components]
        found = bounds.window(renumbering, components, narrowed, 0, wanted, self._budget, score)
        if found is None:
            return None
        return {renumbering.ids[position]: total for position, total in found}

    def _meeting_ids(
        self, part: int, pending: _Indexes, meeting: list[int], counts: list[int]
    ) -> Iterator[list[int]]:
        """The members meeting each pending component. Listing a set walks the whole width of
        the index, so when members meet many of the components, the part is listed once and
        who meets each component is read from its bytes, in C."""
        size = part.bit_count()
        if size * len(pending) > _MEETING_SHARE * sum(counts):
            yield from map(bitsets.ids_of, meeting)
            return
        members = bitsets.ids_of(part)
        offsets = list(map(operator.rshift, members, repeat(3)))
        masks = list(map(operator.lshift, repeat(1), map(operator.and_, members, repeat(7))))
        for index in pending:
            flags = map(operator.and_, map(self._bytes_of(index).__getitem__, offsets), masks)
            yield list(itertools.compress(members, flags))

    def _bytes_of(self, index: int) -> bytes:
        """The members of a component as bytes, as wide as the matches (its members are
        matches)."""
        found = self._bytes.get(index)
        if found is None:
            found = self._bytes[index] = self._components[index].bits.to_bytes(
                self._width, "little"
            )
        return found
