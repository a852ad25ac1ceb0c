"""Which candidates a query tree matches, as sets: Lucene's boolean algebra on bitsets.

Each node's set is kept (``Matched``) for the scorer, which needs to know where every clause
matched. Evaluation carries a ``within`` set down the tree: required clauses are evaluated
cheapest first and later ones only within what the earlier ones left, so that phrases, the
costly leaves, check few candidates' texts. A node's set is therefore only exact within its
``within``, which is all the scorer ever looks at.
"""

from collections.abc import Callable, Hashable, Iterable

import attrs

from itmj_adapters.search import bitsets, work
from itmj_adapters.search.documents import FIELD_NUMBER
from itmj_adapters.search.inverted_index import InvertedIndex
from itmj_adapters.search.levenshtein import LevenshteinAutomaton
from itmj_adapters.search.phrases import PhraseFinder
from itmj_adapters.search.postings import Frequencies, Postings, union_of
from itmj_adapters.search.term_dictionary import Expansion, TermDictionary
from itmj_adapters.search.work import WORK_BUDGET
from itmj_domain.search import SearchField
from itmj_domain.search.budget import WorkBudget
from itmj_domain.search.lucene_regexp import compile_regexp
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
    """Evaluates query trees on ``index``, spending from ``budget`` (a fresh one of
    ``WORK_BUDGET`` units by default) the work that grows with the data."""

    def __init__(self, index: InvertedIndex, budget: WorkBudget | None = None) -> None:
        self._index = index
        self._budget = WorkBudget(WORK_BUDGET) if budget is None else budget
        self._phrases = PhraseFinder(index, self._budget)

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
        fields = self._phrases.find(node.terms, node.slop, within, _field_numbers(node.field))
        matched = bitsets.union(bits for _, bits, _ in fields)
        return Matched(node, matched, (), fields)

    def _multi_term(self, node: Prefix | Wildcard | Fuzzy | Regexp | Range) -> int:
        terms = self._index.terms
        weight = work.EXAMINING[type(node)]
        expansion = terms.expansion(
            _expansion_key(node), _expander(node), self._budget.remaining // weight
        )
        numbers = _field_numbers(node.field)
        self._budget.spend(
            weight * expansion.examined + work.TERM_FOUND * len(expansion.terms) * len(numbers)
        )
        term_ids = [terms.ids[term] for term in expansion.terms]
        postings: list[Postings] = []
        for number in numbers:
            field_postings = self._index.postings[number]
            postings.extend(
                field_postings[term_id] for term_id in term_ids if term_id in field_postings
            )
        self._budget.spend(work.joining(postings))
        return union_of(postings)


def _expansion_key(node: Prefix | Wildcard | Fuzzy | Regexp | Range) -> Hashable:
    """The node without its field: the terms it stands for are the same in every field."""
    return type(node), *(
        value for name, value in attrs.asdict(node, recurse=False).items() if name != "field"
    )


def _expander(
    node: Prefix | Wildcard | Fuzzy | Regexp | Range,
) -> Callable[[TermDictionary, int | None], Expansion]:
    match node:
        case Prefix():
            return lambda terms, limit: terms.with_prefix(node.prefix, limit)
        case Wildcard():
            return lambda terms, limit: terms.matching_wildcard(node.pattern, limit)
        case Fuzzy():
            return lambda terms, limit: terms.accepted_by(
                LevenshteinAutomaton(node.text, node.max_edits), limit
            )
        case Regexp():
            return lambda terms, limit: terms.accepted_by(compile_regexp(node.pattern), limit)
    return lambda terms, limit: terms.between(
        node.lower, node.upper, node.include_lower, node.include_upper, limit
    )
