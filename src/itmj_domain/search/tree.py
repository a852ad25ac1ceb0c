"""The parsed query: a tree of frozen values, Lucene's query model restricted to what we search.

A leaf with ``field=None`` searches every field (Elasticsearch's default field). Texts are stored
as the index sees them: ``Term`` and ``Phrase`` hold analyzed tokens, the multi-term leaves
(prefix, wildcard, fuzzy, range) their lowercased text, ``Regexp`` its pattern as written.
``to_query_string()`` writes a tree back in query-string syntax; parsing that text gives the
same tree.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

import attrs

from itmj_domain.search.escaping import boost_number, escape_text, quote_phrase, range_bound
from itmj_domain.search.fields import SearchField


def _strings(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)


def _clauses(clauses: Iterable[Clause]) -> tuple[Clause, ...]:
    return tuple(clauses)


def _scoped(field: SearchField | None, body: str) -> str:
    return body if field is None else f"{field.value}:{body}"


@attrs.frozen
class Term:
    """One token."""

    text: str
    field: SearchField | None = None

    def to_query_string(self) -> str:
        return _scoped(self.field, escape_text(self.text))


@attrs.frozen
class Phrase:
    """Tokens in order, within ``slop`` moves of each other, inside one value of one field."""

    terms: tuple[str, ...] = attrs.field(converter=_strings)
    slop: int = 0
    field: SearchField | None = None

    @terms.validator
    def _at_least_two(self, _attribute: object, terms: tuple[str, ...]) -> None:
        if len(terms) < 2:
            raise ValueError("a phrase has at least two terms; one term is a Term")

    def to_query_string(self) -> str:
        slop = f"~{self.slop}" if self.slop else ""
        return _scoped(self.field, quote_phrase(self.terms) + slop)


@attrs.frozen
class Prefix:
    """Tokens starting with ``prefix``."""

    prefix: str
    field: SearchField | None = None

    def to_query_string(self) -> str:
        return _scoped(self.field, escape_text(self.prefix) + "*")


@attrs.frozen
class Wildcard:
    """Tokens matching ``pattern``: ``*`` any run, ``?`` any one character, ``\\`` escapes."""

    pattern: str
    field: SearchField | None = None

    def to_query_string(self) -> str:
        return _scoped(self.field, self.pattern)


@attrs.frozen
class Fuzzy:
    """Tokens within ``max_edits`` edits of ``text``, a transposition counting as one edit."""

    text: str
    max_edits: int
    field: SearchField | None = None

    def to_query_string(self) -> str:
        return _scoped(self.field, f"{escape_text(self.text)}~{self.max_edits}")


@attrs.frozen
class Regexp:
    """Tokens wholly matched by a Lucene regular expression (validated when parsed)."""

    pattern: str
    field: SearchField | None = None

    def to_query_string(self) -> str:
        return _scoped(self.field, f"/{self.pattern}/")


@attrs.frozen
class Range:
    """Tokens between two bounds in code point order; a ``None`` bound is open."""

    lower: str | None
    upper: str | None
    include_lower: bool = True
    include_upper: bool = True
    field: SearchField | None = None

    def to_query_string(self) -> str:
        opening = "[" if self.include_lower else "{"
        closing = "]" if self.include_upper else "}"
        body = f"{opening}{range_bound(self.lower)} TO {range_bound(self.upper)}{closing}"
        return _scoped(self.field, body)


@attrs.frozen
class Exists:
    """Documents where the field (any field when ``None``) has a value."""

    field: SearchField | None = None

    def to_query_string(self) -> str:
        return "*" if self.field is None else f"_exists_:{self.field.value}"


@attrs.frozen
class MatchAll:
    """Every document."""

    def to_query_string(self) -> str:
        return "*:*"


@attrs.frozen
class MatchNone:
    """No document: a blank query, or one whose every word the analyzer dropped."""

    def to_query_string(self) -> str:
        return ""


class Occur(enum.Enum):
    """How a clause takes part in a boolean query; the value is its query-syntax prefix."""

    MUST = "+"
    SHOULD = ""
    MUST_NOT = "-"


@attrs.frozen
class Clause:
    occur: Occur
    query: Query


@attrs.frozen
class Boolean:
    """Lucene's boolean query, clauses in the order written.

    With a MUST clause the SHOULD clauses only rank; without one at least one SHOULD clause must
    match. MUST_NOT clauses exclude. Only MUST_NOT clauses: every document but those
    (Elasticsearch adds a match-all clause to purely negative queries).
    """

    clauses: tuple[Clause, ...] = attrs.field(converter=_clauses)

    @clauses.validator
    def _not_empty(self, _attribute: object, clauses: tuple[Clause, ...]) -> None:
        if not clauses:
            raise ValueError("a boolean query has at least one clause")

    @property
    def must(self) -> tuple[Query, ...]:
        return self._of(Occur.MUST)

    @property
    def should(self) -> tuple[Query, ...]:
        return self._of(Occur.SHOULD)

    @property
    def must_not(self) -> tuple[Query, ...]:
        return self._of(Occur.MUST_NOT)

    def _of(self, occur: Occur) -> tuple[Query, ...]:
        return tuple(clause.query for clause in self.clauses if clause.occur is occur)

    def to_query_string(self) -> str:
        return " ".join(clause.occur.value + _grouped(clause.query) for clause in self.clauses)


@attrs.frozen
class Boost:
    """A boost (``^2``): it changes ranking only, never which documents match."""

    query: Query
    boost: float

    def to_query_string(self) -> str:
        body = self.query.to_query_string()
        if isinstance(self.query, Boolean | Boost):
            body = f"({body})"
        return f"{body}^{boost_number(self.boost)}"


def _grouped(query: Query) -> str:
    text = query.to_query_string()
    return f"({text})" if isinstance(query, Boolean) else text


Leaf = Term | Phrase | Prefix | Wildcard | Fuzzy | Regexp | Range | Exists | MatchAll
Query = Leaf | MatchNone | Boolean | Boost
