"""What each matched clause adds to a candidate's score: Lucene's BM25, summed.

A term or phrase scores per field with that field's statistics (k1 = 1.2, b = 0.75, lengths
read back from their norm byte); a prefix, wildcard, fuzzy, regular-expression or range term,
``_exists_`` and ``*:*`` score a constant, as Elasticsearch's constant-score rewrite does.
Boosts multiply; prohibited clauses and the match-all Elasticsearch adds to a purely negative
group score nothing; an optional clause counts only where its group matched.

Each contribution is a ``Component``: the candidates it applies to, split into classes of
candidates that get exactly the same value (same term frequency, same norm byte). The ranking
works on those classes.
"""

import functools
import itertools
import math
from collections.abc import Callable, Iterable, Sequence
from itertools import repeat
from typing import Protocol

from itmj_adapters.search import bitsets
from itmj_adapters.search.inverted_index import InvertedIndex
from itmj_adapters.search.matcher import Matched
from itmj_adapters.search.narrowed import Narrowed
from itmj_adapters.search.norms import DECODED_LENGTH
from itmj_adapters.search.postings import Frequencies
from itmj_adapters.search.renumbering import Renumbering
from itmj_domain.search.tree import Boolean, Boost, Occur, Phrase, Term

K1 = 1.2
B = 0.75


class Component(Protocol):
    """``value_of`` gives a member's contribution; ``classes`` partitions ``bits`` into
    ``(value, members)``, the largest value first; ``maximum`` is the largest value;
    ``constant`` says every member gets the same."""

    @property
    def bits(self) -> int: ...
    @property
    def classes(self) -> list[tuple[float, int]]: ...
    @property
    def maximum(self) -> float: ...
    @property
    def constant(self) -> bool: ...

    def value_of(self, member: int) -> float: ...
    def values_of(self, members: Sequence[int]) -> Iterable[float]: ...
    def renumbered(self, renumbering: Renumbering) -> "Component":
        """The same component over the matches' own numbering (its members are matches)."""
        ...

    def narrowed(self, renumbering: Renumbering) -> Narrowed:
        """What the ranking by bounds reads of it over the matches' own numbering (its
        members are matches)."""
        ...


def _largest_first(classes: list[tuple[float, int]]) -> list[tuple[float, int]]:
    return sorted(classes, key=lambda entry: -entry[0])


class _OnceValues(dict[int, float]):
    """Norm byte → the value for a member holding the term once, worked out when first
    asked for."""

    def __init__(self, value: Callable[[int, int], float]) -> None:
        super().__init__()
        self._value = value

    def __missing__(self, norm: int) -> float:
        found = self[norm] = self._value(1, norm)
        return found


class ConstantComponent:
    constant = True

    def __init__(self, bits: int, value: float) -> None:
        self.bits = bits
        self.classes = [(value, bits)]
        self.maximum = value

    def value_of(self, member: int) -> float:
        return self.maximum

    def values_of(self, members: Sequence[int]) -> Iterable[float]:
        return repeat(self.maximum, len(members))

    def renumbered(self, renumbering: Renumbering) -> "ConstantComponent":
        return ConstantComponent(renumbering.bits(self.bits), self.maximum)

    def narrowed(self, renumbering: Renumbering) -> Narrowed:
        marks = renumbering.marks(self.bits)
        return Narrowed(marks, self.maximum, ((marks, {1: self.maximum}),))


class Bm25Component:
    """A term or a phrase in one field (``frequencies``: where a member holds it more than
    once)."""

    constant = False

    def __init__(
        self,
        bits: int,
        weight: float,
        idf: float,
        average_length: float,
        norms: bytearray,
        frequencies: Frequencies,
        norm_classes: dict[int, int],
    ) -> None:
        self._weight = weight
        self._idf = idf
        self._weight_idf = weight * idf
        self._average = average_length
        self._norms = norms
        self._repeats = frequencies
        self._repeated = frequencies.holders
        self._frequencies = frequencies.by_holder
        self._by_frequency = frequencies.by_frequency
        self._norm_classes = norm_classes
        self._values: dict[tuple[int, int], float] = {}
        self._once = _OnceValues(self._value)
        self.bits = bits

    @functools.cached_property
    def classes(self) -> list[tuple[float, int]]:
        """Members split by frequency, then by norm byte: set operations only (worked out
        when the ranking first needs them)."""
        classes = []
        rest = self.bits
        for frequency, holders in [*self._by_frequency.items(), (1, self.bits)]:
            with_frequency = rest & holders
            rest ^= with_frequency
            for norm, members in self._norm_classes.items():
                if not with_frequency:
                    break
                part = with_frequency & members
                if part:
                    classes.append((self._value(frequency, norm), part))
                    with_frequency ^= part
        return _largest_first(classes)

    @functools.cached_property
    def maximum(self) -> float:
        """The value of ``classes[0]`` without working out the classes: a value falls as the
        field grows, so per frequency it is that of the shortest field among its holders,
        found by looking through the norm classes from the shortest up."""
        if "classes" in self.__dict__:
            return self.classes[0][0]
        shortest = sorted(self._norm_classes.items())
        best = 0.0
        groups = [*self._by_frequency.items(), (1, ~self._repeated)]
        for frequency, holders in groups:
            members = self.bits & holders
            if not members:
                continue
            norm = next(norm for norm, each in shortest if members & each)
            best = max(best, self._value(frequency, norm))
        return best

    def _value(self, frequency: int, norm: int) -> float:
        key = (frequency, norm)
        value = self._values.get(key)
        if value is None:
            length_part = K1 * (1 - B + B * DECODED_LENGTH[norm] / self._average)
            value = self._values[key] = self._weight_idf * frequency / (frequency + length_part)
        return value

    def value_of(self, member: int) -> float:
        frequency = self._frequencies.get(member)
        if frequency is not None:
            return self._value(frequency, self._norms[member])
        return self._once[self._norms[member]]

    def renumbered(self, renumbering: Renumbering) -> "Bm25Component":
        norms, norm_classes = renumbering.norms(self._norms)
        return Bm25Component(
            renumbering.bits(self.bits),
            self._weight,
            self._idf,
            self._average,
            norms,
            renumbering.frequencies(self._repeats, self.bits),
            norm_classes,
        )

    def narrowed(self, renumbering: Renumbering) -> Narrowed:
        """Two layers keyed by norm byte: the matches holding the term once, valued
        exactly, and those holding it more often, valued as if they held it as often as any
        of them does. The maximum is that of the shortest field among those holding it once,
        or among those holding it as often as any other frequency, each looked for from the
        shortest field up (in the norm classes, whole sets) while its value can still beat
        it."""
        marks = renumbering.marks(self.bits)
        norms, present = renumbering.norm_bytes(self._norms)
        repeated = self.bits & self._repeated
        held = bitsets.masked(norms, marks)
        once_values = {norm: self._once[norm] for norm in present}
        if not repeated:
            return Narrowed(marks, self._shortest_once(held, present), ((held, once_values),))
        several = bitsets.masked(norms, renumbering.marks(repeated))
        once = bitsets.without(held, several)
        by_frequency = [
            (frequency, holders)
            for frequency in sorted(self._by_frequency, reverse=True)
            if (holders := self._by_frequency[frequency] & repeated)
        ]
        most = by_frequency[0][0]
        bound = {norm: self._value(most, norm) for norm in present}
        best = self._shortest_once(once, present)
        for frequency, holders in by_frequency:
            best = self._shortest_several(frequency, holders, several, present, best)
        return Narrowed(marks, best, ((once, once_values), (several, bound)))

    def _shortest_several(
        self, frequency: int, holders: int, several: bytes, present: list[int], best: float
    ) -> float:
        """The larger of ``best`` and the value for the shortest field among ``holders``,
        who hold the term ``frequency`` times (``several``: the norm bytes of every match
        holding it more than once, 0 for others): a value falls as the field grows, so
        fields are looked through from the shortest up while their value beats ``best``."""
        for norm in present:
            value = self._value(frequency, norm)
            if value <= best:
                break
            if several.find(norm) >= 0 and holders & self._norm_classes.get(norm, 0):
                return value
        return best

    def _shortest_once(self, once: bytes, present: list[int]) -> float:
        """The value for the shortest field in ``once`` (norm bytes, 0 for none), 0 for
        none at all."""
        shortest = next((norm for norm in present if once.find(norm) >= 0), None)
        return 0.0 if shortest is None else self._once[shortest]

    def values_of(self, members: Sequence[int]) -> Iterable[float]:
        """``value_of`` of each member: looked up in C for those holding it once."""
        values = list(map(self._once.__getitem__, map(self._norms.__getitem__, members)))
        repeated = map(self._frequencies.__contains__, members)
        for position in itertools.compress(range(len(members)), repeated):
            values[position] = self.value_of(members[position])
        return values


def idf(document_count: int, document_frequency: int) -> float:
    return math.log(1 + (document_count - document_frequency + 0.5) / (document_frequency + 0.5))


class Scorer:
    def __init__(self, index: InvertedIndex) -> None:
        self._index = index

    def components(self, matched: Matched, gate: int) -> list[Component]:
        """The contributions of the tree's clauses to the candidates in ``gate``."""
        found: list[Component] = []
        self._collect(matched, gate, 1.0, found)
        return found

    def _collect(self, matched: Matched, gate: int, weight: float, found: list) -> None:
        gate &= matched.bits
        if not gate or weight == 0:
            return
        node = matched.node
        match node:
            case Boolean():
                for clause, child in zip(node.clauses, matched.children, strict=True):
                    if clause.occur is not Occur.MUST_NOT:
                        self._collect(child, gate, weight, found)
            case Boost():
                self._collect(matched.children[0], gate, weight * node.boost, found)
            case Term():
                for number, bits, _ in matched.fields:
                    if bits & gate:
                        found.append(self._term(node, number, bits & gate, weight))
            case Phrase():
                for number, bits, frequencies in matched.fields:
                    assert frequencies is not None  # a phrase's fields carry its frequencies
                    if bits & gate:
                        found.append(self._phrase(node, number, bits & gate, weight, frequencies))
            case _:
                found.append(ConstantComponent(gate, weight))

    def _term(self, node: Term, number: int, bits: int, weight: float) -> Component:
        index = self._index
        postings = index.term_postings(number, node.text)
        assert postings is not None
        return Bm25Component(
            bits,
            weight,
            idf(index.doc_count[number], postings.count),
            index.length_sum[number] / index.doc_count[number],
            index.norms[number],
            postings.frequencies(),
            index.norm_classes(number),
        )

    def _phrase(
        self, node: Phrase, number: int, bits: int, weight: float, frequencies: Frequencies
    ) -> Component:
        index = self._index
        total_idf = 0.0
        for word in node.terms:
            postings = index.term_postings(number, word)
            assert postings is not None
            total_idf += idf(index.doc_count[number], postings.count)
        return Bm25Component(
            bits,
            weight,
            total_idf,
            index.length_sum[number] / index.doc_count[number],
            index.norms[number],
            frequencies,
            index.norm_classes(number),
        )
