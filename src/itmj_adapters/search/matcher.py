"""Which candidates a query tree matches, as sets: Lucene's boolean algebra on bitsets.

Each node's set is kept (``Matched``) for the scorer, which needs to know where every clause
matched. Evaluation carries a ``within`` set down the tree: required clauses are evaluated
cheapest first and later ones only within what the earlier ones left, so that phrases, the
costly leaves, check few candidates' texts. A node's set is therefore only exact within its
``within``, which is all the scorer ever looks at.
"""

import itertools
import operator
from collections.abc import Callable, Hashable, Iterable
from itertools import repeat
from typing import TypeGuard, cast

import attrs

from itmj_adapters.search import bitsets
from itmj_adapters.search.documents import FIELD_NUMBER, VALUE_SEPARATOR
from itmj_adapters.search.inverted_index import InvertedIndex
from itmj_adapters.search.levenshtein import LevenshteinAutomaton
from itmj_adapters.search.postings import Frequencies, Postings, union_of
from itmj_adapters.search.term_dictionary import TermDictionary
from itmj_domain.search import SearchField
from itmj_domain.search.lucene_regexp import compile_regexp
from itmj_domain.search.phrase import contains_phrase
from itmj_domain.search.tree import (
    Boolean,
    Boost,
    Exists,
    Fuzzy,
    MatchAll,
    Occur,
    Phrase,
    Prefix,
    Query,
    Range,
    Regexp,
    Term,
    Wildcard,
)

_ALL_FIELDS = tuple(FIELD_NUMBER.values())


class Matched:
    """A node with the candidates it matched; ``fields`` holds, for a term or phrase, the
    candidates per field (for a phrase, with its frequencies where not 1)."""

    __slots__ = ("bits", "children", "fields", "node")

    def __init__(
        self,
        node: Query,
        bits: int,
        children: tuple["Matched", ...] = (),
        fields: tuple[tuple[int, int, Frequencies | None], ...] = (),
    ) -> None:
        self.node = node
        self.bits = bits
        self.children = children
        self.fields = fields


def _all_known(term_ids: list[int | None]) -> TypeGuard[list[int]]:
    return None not in term_ids


def _field_numbers(field: SearchField | None) -> tuple[int, ...]:
    return _ALL_FIELDS if field is None else (FIELD_NUMBER[field],)


def _cost(node: Query) -> int:
    match node:
        case Phrase():
            return 2
        case Boolean():
            return max(_cost(clause.query) for clause in node.clauses)
        case Boost():
            return _cost(node.query)
        case Prefix() | Wildcard() | Fuzzy() | Regexp() | Range():
            return 1
    return 0


class Matcher:
    def __init__(self, index: InvertedIndex) -> None:
        self._index = index

    def match(self, node: Query, within: int) -> Matched:
        match node:
            case Boolean():
                return self._boolean(node, within)
            case Boost():
                child = self.match(node.query, within)
                return Matched(node, child.bits, (child,))
            case Term():
                return self._term(node, within)
            case Phrase():
                return self._phrase(node, within)
            case Exists():
                field = None if node.field is None else FIELD_NUMBER[node.field]
                return Matched(node, self._index.exists(field) & within)
            case MatchAll():
                return Matched(node, self._index.live & within)
            case Prefix() | Wildcard() | Fuzzy() | Regexp() | Range():
                return Matched(node, self._multi_term(node) & within)
        return Matched(node, 0)

    def _boolean(self, node: Boolean, within: int) -> Matched:
        clauses = node.clauses
        results: list[Matched | None] = [None] * len(clauses)

        def evaluate(positions: Iterable[int], inside: int) -> int:
            found = 0
            for position in positions:
                result = self.match(clauses[position].query, inside)
                results[position] = result
                found |= result.bits
            return found

        by_occur: dict[Occur, list[int]] = {occur: [] for occur in Occur}
        for position, clause in enumerate(clauses):
            by_occur[clause.occur].append(position)
        required = sorted(by_occur[Occur.MUST], key=lambda position: _cost(clauses[position].query))
        if required:
            matched = within
            for position in required:
                matched = evaluate((position,), matched)
        elif by_occur[Occur.SHOULD]:
            matched = evaluate(by_occur[Occur.SHOULD], within)
        else:
            matched = self._index.live & within
        if by_occur[Occur.MUST_NOT]:
            matched &= ~evaluate(by_occur[Occur.MUST_NOT], matched)
        if required:
            evaluate(by_occur[Occur.SHOULD], matched)
        children = tuple(
            result if result is not None else Matched(clause.query, 0)
            for result, clause in zip(results, clauses, strict=True)
        )
        return Matched(node, matched, children)

    def _term(self, node: Term, within: int) -> Matched:
        fields = []
        matched = 0
        for number in _field_numbers(node.field):
            postings = self._index.term_postings(number, node.text)
            if postings is None:
                continue
            bits = postings.bits() & within
            if bits:
                fields.append((number, bits, None))
                matched |= bits
        return Matched(node, matched, (), tuple(fields))

    def _phrase(self, node: Phrase, within: int) -> Matched:
        """Per field: the candidates holding every pair of adjacent words (a two-word phrase
        needs nothing more); longer phrases, and sloppy ones beyond the adjacent pairs, are
        checked in the candidates' texts."""
        index = self._index
        term_ids = [index.terms.id_of(word) for word in node.terms]
        if not _all_known(term_ids):
            return Matched(node, 0)
        needle = "".join(map(chr, term_ids))
        pairs = [needle[start : start + 2] for start in range(len(needle) - 1)]
        fields = []
        unchecked: dict[int, tuple[int, int]] = {}
        for number in _field_numbers(node.field):
            adjacent = within
            for pair in pairs:
                adjacent &= index.pair_postings(number, pair).bits() if adjacent else 0
            if node.slop == 0 and len(pairs) == 1:
                if adjacent:
                    frequencies = index.pair_postings(number, pairs[0]).frequencies()
                    fields.append((number, adjacent, frequencies))
            elif node.slop == 0:
                unchecked[number] = (adjacent, 0)
            else:
                holders = within
                for word in set(node.terms):
                    postings = index.term_postings(number, word)
                    holders &= 0 if postings is None else postings.bits()
                sure = adjacent if len(pairs) == 1 else 0
                unchecked[number] = (holders ^ sure, sure)
        if node.slop == 0 and len(unchecked) > 1:
            unchecked = self._present(unchecked, needle)
        for number, (candidates, sure) in unchecked.items():
            found, repeats = self._verify(bitsets.ids_of(candidates), number, needle, node.slop)
            bits = sure | bitsets.from_ids(found)
            if bits:
                fields.append((number, bits, Frequencies.of(repeats)))
        matched = bitsets.union(bits for _, bits, _ in fields)
        return Matched(node, matched, (), tuple(fields))

    def _present(
        self, unchecked: dict[int, tuple[int, int]], needle: str
    ) -> dict[int, tuple[int, int]]:
        """One look at each candidate's whole text rules most out for every field at once."""
        holders = bitsets.ids_of(bitsets.union(candidates for candidates, _ in unchecked.values()))
        # Candidates that match are live, and the text of a live candidate is set.
        texts = map(cast("list[str]", self._index.documents).__getitem__, holders)
        present = bitsets.from_ids(
            list(itertools.compress(holders, map(operator.contains, texts, repeat(needle))))
        )
        return {
            number: (candidates & present, sure) for number, (candidates, sure) in unchecked.items()
        }

    def _verify(
        self, candidates: list[int], number: int, needle: str, slop: int
    ) -> tuple[list[int], dict[int, int]]:
        """The candidates whose field holds the phrase, and how often where more than once
        (a sloppy phrase counts once)."""
        documents = self._index.documents
        bounds = self._index.bounds
        if slop == 0:
            counts = self._index.counts(candidates, number, needle)
            found = list(itertools.compress(candidates, counts))
            if max(counts, default=0) < 2:
                return found, {}
            several = list(map(operator.gt, counts, repeat(1)))
            repeats = dict(
                zip(
                    itertools.compress(candidates, several),
                    itertools.compress(counts, several),
                    strict=True,
                )
            )
            return found, repeats
        found = []
        words = tuple(needle)
        distinct = set(needle)
        for candidate in candidates:
            text = documents[candidate]
            assert text is not None  # a candidate that matches is live
            start, end = bounds[number][candidate], bounds[number + 1][candidate] - 1
            if text.find(needle, start, end) >= 0 or any(
                distinct.issubset(value) and contains_phrase(tuple(value), words, slop)
                for value in text[start:end].split(VALUE_SEPARATOR)
            ):
                found.append(candidate)
        return found, {}

    def _multi_term(self, node: Prefix | Wildcard | Fuzzy | Regexp | Range) -> int:
        terms = self._index.terms
        found = terms.expansion(_expansion_key(node), _expander(node))
        term_ids = [terms.ids[term] for term in found]
        postings: list[Postings] = []
        for number in _field_numbers(node.field):
            field_postings = self._index.postings[number]
            postings.extend(
                field_postings[term_id] for term_id in term_ids if term_id in field_postings
            )
        return union_of(postings)


def _expansion_key(node: Prefix | Wildcard | Fuzzy | Regexp | Range) -> Hashable:
    """The node without its field: the terms it stands for are the same in every field."""
    return type(node), *(
        value for name, value in attrs.asdict(node, recurse=False).items() if name != "field"
    )


def _expander(
    node: Prefix | Wildcard | Fuzzy | Regexp | Range,
) -> Callable[[TermDictionary], Iterable[str]]:
    match node:
        case Prefix():
            return lambda terms: terms.with_prefix(node.prefix)
        case Wildcard():
            return lambda terms: terms.matching_wildcard(node.pattern)
        case Fuzzy():
            return lambda terms: terms.accepted_by(LevenshteinAutomaton(node.text, node.max_edits))
        case Regexp():
            return lambda terms: terms.accepted_by(compile_regexp(node.pattern))
    return lambda terms: terms.between(
        node.lower, node.upper, node.include_lower, node.include_upper
    )
