"""The leaves of the query tree, built from query tokens by Elasticsearch's rules.

Plain words and phrases are analyzed (one word may become several terms, ``field:>x`` a
one-sided range); prefix, wildcard, fuzzy and range terms are lowercased only; a regular
expression is checked and kept as written. ``_exists_:`` takes a field name. Every leaf counts
towards the limit of clauses per query.

A phrase holds at most ``MAX_PHRASE_TERMS`` terms, counted after analysis (``"node.js-c++"``
is two), since its terms are what matching works through. Lucene has no such limit; ours keeps
the work of one phrase bounded whatever the backend, so every backend refuses the same phrases.
"""

import enum
import math

from itmj_domain.search.analyzer import analyze, normalize
from itmj_domain.search.errors import invalid_query
from itmj_domain.search.fields import SearchField
from itmj_domain.search.fuzzy import auto_edits
from itmj_domain.search.java_numbers import float32, parse_float, to_int
from itmj_domain.search.lexer import Kind, Token
from itmj_domain.search.lucene_regexp import RegexpSyntaxError, compile_regexp
from itmj_domain.search.tree import (
    Boolean,
    Clause,
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
from itmj_domain.search.unescape import unescape
from itmj_domain.search.wildcard import normalize_wildcard

MAX_CLAUSES = 64
MAX_PHRASE_TERMS = 32
EXISTS_FIELD = "_exists_"
FIELD_NAMES = ", ".join(field.value for field in SearchField)


class Special(enum.Enum):
    """Scopes that are not one field: none given, ``*:``, and ``_exists_:``."""

    DEFAULT = enum.auto()
    ALL = enum.auto()
    EXISTS = enum.auto()


Scope = SearchField | Special


def _field_of(scope: Scope) -> SearchField | None:
    return scope if isinstance(scope, SearchField) else None


class LeafBuilder:
    """Builds the leaves of one query, counting them against the clause limit."""

    def __init__(self) -> None:
        self._clauses = 0

    def bare(self, scope: Scope, token: Token, slop: Token | None) -> Query | None:
        """The leaf of an unquoted token, fuzzy when a ``~`` followed it."""
        image = token.image[0] if token.kind is Kind.BAREOPER else token.image
        text = unescape(image, token.start)
        if token.kind in (Kind.STAR, Kind.WILDTERM):
            return self._wildcard(scope, image, token)
        if token.kind is Kind.PREFIXTERM:
            field = self._multi_term_field(scope, token, "a prefix term")
            return self._leaf(Prefix(normalize(unescape(image[:-1], token.start)), field), token)
        if token.kind is Kind.REGEXPTERM:
            return self._regexp(scope, image[1:-1], token)
        if slop is not None:
            return self._fuzzy(scope, text, slop, token)
        return self.words(scope, text, token)

    def words(self, scope: Scope, text: str, token: Token) -> Query | None:
        """Plain words: their terms, or Elasticsearch's one-sided range for ``>x`` and the like."""
        if scope is Special.EXISTS:
            return self._leaf(Exists(self._named_field(text, token)), token)
        if len(text) > 1 and text[0] in "<>":
            inclusive = len(text) > 2 and text[1] == "="
            bound = text[2:] if inclusive else text[1:]
            if text[0] == ">":
                return self.range(scope, bound, None, (inclusive, True), token)
            return self.range(scope, None, bound, (True, inclusive), token)
        words = analyze(text)
        self._count(len(words), token)
        field = _field_of(scope)
        if len(words) == 1:
            return Term(words[0], field)
        if not words:
            return None
        return Boolean(Clause(Occur.SHOULD, Term(word, field)) for word in words)

    def phrase(self, scope: Scope, token: Token, slop: Token | None) -> Query | None:
        text = unescape(token.image[1:-1], token.start + 1)
        if scope is Special.EXISTS:
            return self._leaf(Exists(self._named_field(text, token)), token)
        words = analyze(text)
        if not words:
            return None
        field = _field_of(scope)
        if len(words) == 1:
            return self._leaf(Term(words[0], field), token)
        if len(words) > MAX_PHRASE_TERMS:
            raise invalid_query(
                token.start,
                f"at most {MAX_PHRASE_TERMS} terms in a phrase (after analysis)",
                f"{len(words)}",
            )
        amount = None if slop is None else parse_float(slop.image[1:])
        distance = 0 if amount is None else to_int(amount)
        if slop is not None and distance < 0:
            raise invalid_query(slop.start, "a proximity that is not negative", f"'{slop.image}'")
        return self._leaf(Phrase(words, distance, field), token)

    def range(
        self,
        scope: Scope,
        lower: str | None,
        upper: str | None,
        inclusive: tuple[bool, bool],
        token: Token,
    ) -> Query:
        """A term range; ``*`` is an open end, as Elasticsearch reads it even when quoted."""
        field = self._multi_term_field(scope, token, "a range")
        lower = None if lower is None or lower == "*" else normalize(lower)
        upper = None if upper is None or upper == "*" else normalize(upper)
        return self._leaf(Range(lower, upper, *inclusive, field), token)

    def _wildcard(self, scope: Scope, image: str, token: Token) -> Query:
        field = self._multi_term_field(scope, token, "a wildcard")
        if image != "*":
            return self._leaf(Wildcard(normalize_wildcard(image), field), token)
        return self._leaf(MatchAll() if scope is Special.ALL else Exists(field), token)

    def _regexp(self, scope: Scope, pattern: str, token: Token) -> Query:
        field = self._multi_term_field(scope, token, "a regular expression")
        try:
            compile_regexp(pattern)
        except RegexpSyntaxError as error:
            found = f"'{pattern[error.offset]}'" if error.offset < len(pattern) else "its end"
            raise invalid_query(
                token.start + 1 + error.offset, f"{error.expected} in the regular expression", found
            ) from None
        return self._leaf(Regexp(pattern, field), token)

    def _fuzzy(self, scope: Scope, text: str, slop: Token, token: Token) -> Query:
        """Elasticsearch's fuzziness: AUTO unless a number follows ``~``, then at most 2."""
        field = self._multi_term_field(scope, token, "a fuzzy term")
        amount = parse_float(slop.image[1:])
        if amount is None:
            edits = auto_edits(text)
        elif amount < 0:
            raise invalid_query(
                slop.start, "a number of edits that is not negative", f"'{slop.image}'"
            )
        elif amount >= 1 and amount != float32(to_int(amount)):
            raise invalid_query(
                slop.start, "a whole number of edits after '~' (0, 1 or 2)", f"'{slop.image}'"
            )
        else:
            edits = 0 if math.isnan(amount) else min(2, math.floor(amount))
        return self._leaf(Fuzzy(normalize(text), edits, field), token)

    def _multi_term_field(self, scope: Scope, token: Token, kind: str) -> SearchField | None:
        if scope is Special.EXISTS:
            raise invalid_query(
                token.start, f"a field name after '{EXISTS_FIELD}:' ({FIELD_NAMES})", kind
            )
        return _field_of(scope)

    @staticmethod
    def _named_field(name: str, token: Token) -> SearchField:
        try:
            return SearchField(name)
        except ValueError:
            raise invalid_query(
                token.start, f"a field name after '{EXISTS_FIELD}:' ({FIELD_NAMES})", f"'{name}'"
            ) from None

    def _leaf(self, query: Query, token: Token) -> Query:
        self._count(1, token)
        return query

    def _count(self, clauses: int, token: Token) -> None:
        self._clauses += clauses
        if self._clauses > MAX_CLAUSES:
            raise invalid_query(
                token.start, f"at most {MAX_CLAUSES} terms, phrases or other clauses", "one more"
            )
