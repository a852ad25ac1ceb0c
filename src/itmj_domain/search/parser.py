"""Parsing Elasticsearch ``query_string`` syntax into a query tree, with Lucene's semantics.

The grammar and its quirks are those of Lucene's classic QueryParser, which Elasticsearch
extends, followed production by production:

- No operator precedence. Clauses are read left to right; ``AND`` makes the clause before it and
  the one after it required, ``NOT`` (``!``, ``-``) makes the next one prohibited, ``+`` required,
  ``OR`` and plain juxtaposition leave them optional: ``a AND b OR c`` is ``+a +b c``.
- Consecutive plain words are analyzed together (``splitOnWhitespace=false``).
- Elasticsearch additions: ``field:*`` and ``_exists_:field`` test presence, ``*:*`` matches
  everything, ``~`` alone means AUTO fuzziness, ``field:>x`` is a one-sided range (``leaves``).

Our own limits: the five searchable fields only, at most 1,000 characters, 64 clauses, 32 terms
in a phrase and 32 nested parentheses.
"""

import enum

import attrs

from itmj_domain.search.errors import invalid_query
from itmj_domain.search.fields import SearchField
from itmj_domain.search.leaves import EXISTS_FIELD, FIELD_NAMES, LeafBuilder, Scope, Special
from itmj_domain.search.lexer import Kind, Lexer, Token
from itmj_domain.search.tree import Boolean, Boost, Clause, MatchNone, Occur, Query, Term
from itmj_domain.search.unescape import unescape

MAX_QUERY_LENGTH = 1000
MAX_NESTING = 32
_CLAUSE_START = frozenset({
    Kind.TERM, Kind.STAR, Kind.PREFIXTERM, Kind.WILDTERM, Kind.REGEXPTERM, Kind.BAREOPER,
    Kind.RANGEIN_START, Kind.RANGEEX_START, Kind.QUOTED, Kind.LPAREN,
})  # fmt: skip
_CONTINUATION = _CLAUSE_START | {Kind.AND, Kind.OR, Kind.NOT, Kind.PLUS, Kind.MINUS}
_NOT_AFTER_WORDS = frozenset(
    {Kind.COLON, Kind.STAR, Kind.FUZZY_SLOP, Kind.CARAT, Kind.AND, Kind.OR}
)
_RANGE_BOUNDS = (Kind.RANGE_GOOP, Kind.RANGE_QUOTED, Kind.RANGE_TO)
_FLOAT_MAX = 3.4028234663852886e38


class _Conjunction(enum.Enum):
    NONE = enum.auto()
    AND = enum.auto()
    OR = enum.auto()


@attrs.define
class _Pending:
    occur: Occur
    query: Query


def parse_query(text: str) -> Query:
    """The query tree of ``text``; ``InvalidQuery`` says where and why it is malformed."""
    if len(text) > MAX_QUERY_LENGTH:
        raise invalid_query(
            MAX_QUERY_LENGTH, f"at most {MAX_QUERY_LENGTH:,} characters", f"{len(text):,}"
        )
    if all(char <= " " for char in text):
        return MatchNone()
    return _Parser(text).parse()


def _describe(token: Token) -> str:
    if token.kind is Kind.EOF:
        return "the end of the query"
    if token.kind in (Kind.AND, Kind.OR, Kind.NOT):
        return f"the operator {token.image}"
    return f"'{token.image.strip()}'"


class _Parser:
    def __init__(self, text: str) -> None:
        self._lexer = Lexer(text)
        self._tokens: list[Token] = []
        self._previous: Token | None = None
        self._depth = 0
        self._leaves = LeafBuilder()

    def parse(self) -> Query:
        query = self._query(Special.DEFAULT)
        token = self._peek()
        if token.kind is Kind.RPAREN:
            raise invalid_query(token.start, "the end of the query ('(' missing)", "')'")
        if token.kind is not Kind.EOF:
            raise invalid_query(
                token.start, "an operator, a term or the end of the query", _describe(token)
            )
        return MatchNone() if query is None else query

    def _peek(self, ahead: int = 0) -> Token:
        while len(self._tokens) <= ahead:
            self._tokens.append(self._lexer.next_token())
        return self._tokens[ahead]

    def _take(self) -> Token:
        self._peek()
        self._previous = self._tokens.pop(0)
        return self._previous

    def _expect(self, kinds: tuple[Kind, ...], expected: str) -> Token:
        token = self._peek()
        if token.kind not in kinds:
            raise invalid_query(token.start, expected, _describe(token))
        return self._take()

    # Query := (Words | Modifier? Clause) (Words | Conjunction? Modifier? Clause)*

    def _query(self, scope: Scope) -> Query | None:
        clauses: list[_Pending] = []
        first: Query | None = None
        if self._words_ahead():
            first = self._words(scope, clauses)
        else:
            modifier = self._modifier()
            query = self._clause(scope)
            _add(clauses, _Conjunction.NONE, modifier, query)
            if modifier is None:
                first = query
        while True:
            if self._words_ahead():
                self._words(scope, clauses)
            elif self._peek().kind in _CONTINUATION:
                conjunction = self._conjunction()
                modifier = self._modifier()
                _add(clauses, conjunction, modifier, self._clause(scope))
            else:
                break
        if len(clauses) == 1 and first is not None:
            return first
        return _boolean(clauses)

    def _words_ahead(self) -> bool:
        return self._peek().kind is Kind.TERM and self._more_words(1)

    def _more_words(self, ahead: int) -> bool:
        return (
            self._peek(ahead).kind is Kind.TERM
            and self._peek(ahead + 1).kind not in _NOT_AFTER_WORDS
        )

    def _words(self, scope: Scope, clauses: list[_Pending]) -> Query | None:
        """Plain words in a row, analyzed as one text; a list of plain terms joins the clauses."""
        tokens = [self._take()]
        while self._more_words(0):
            tokens.append(self._take())
        text = " ".join(unescape(token.image, token.start) for token in tokens)
        query = self._leaves.words(scope, text, tokens[0])
        if isinstance(query, Boolean) and all(isinstance(c.query, Term) for c in query.clauses):
            clauses.extend(_Pending(clause.occur, clause.query) for clause in query.clauses)
        elif query is not None:
            clauses.append(_Pending(Occur.SHOULD, query))
        return query

    def _conjunction(self) -> _Conjunction:
        kind = self._peek().kind
        if kind not in (Kind.AND, Kind.OR):
            return _Conjunction.NONE
        self._take()
        return _Conjunction.AND if kind is Kind.AND else _Conjunction.OR

    def _modifier(self) -> Occur | None:
        kind = self._peek().kind
        if kind not in (Kind.PLUS, Kind.MINUS, Kind.NOT):
            return None
        self._take()
        return Occur.MUST if kind is Kind.PLUS else Occur.MUST_NOT

    # Clause := (field ':')? (Term | '(' Query ')' ('^' number)?)

    def _clause(self, scope: Scope) -> Query | None:
        token = self._peek()
        if self._peek(1).kind is Kind.COLON and token.kind in (Kind.TERM, Kind.STAR):
            self._take()
            self._take()
            scope = Special.ALL if token.kind is Kind.STAR else self._scope(token)
            if self._peek().kind not in _CLAUSE_START:
                expected = f"a term, a phrase, a range or '(' after '{token.image}:'"
                raise invalid_query(self._peek().start, expected, _describe(self._peek()))
        if self._peek().kind is not Kind.LPAREN:
            return self._term(scope)
        opening = self._take()
        self._depth += 1
        if self._depth > MAX_NESTING:
            raise invalid_query(opening.start, f"at most {MAX_NESTING} nested '('", "one more")
        query = self._query(scope)
        self._depth -= 1
        self._expect((Kind.RPAREN,), f"')' to close the '(' at position {opening.start}")
        return _boosted(query, self._boost())

    def _scope(self, token: Token) -> Scope:
        name = unescape(token.image, token.start)
        if name == EXISTS_FIELD:
            return Special.EXISTS
        if name == "*":
            return Special.ALL
        try:
            return SearchField(name)
        except ValueError:
            raise invalid_query(
                token.start,
                f"a field among {FIELD_NAMES} (or {EXISTS_FIELD})",
                f"the unknown field '{name}'",
            ) from None

    def _boost(self) -> float | None:
        if self._peek().kind is not Kind.CARAT:
            return None
        caret = self._take()
        number = self._expect((Kind.NUMBER,), "a number after '^' (a boost such as ^2 or ^0.5)")
        boost = float(number.image)
        if boost > _FLOAT_MAX:
            raise invalid_query(caret.start, "a boost a float can hold", f"'^{number.image}'")
        return boost

    # Term := (word | phrase) ('^' number)? ('~' number?)? ('^' number)? | range ('^' number)?

    def _term(self, scope: Scope) -> Query | None:
        token = self._peek()
        if token.kind in (Kind.RANGEIN_START, Kind.RANGEEX_START):
            return self._range(scope)
        if token.kind not in _CLAUSE_START or token.kind is Kind.LPAREN:
            after = "" if self._previous is None else f" after '{self._previous.image.strip()}'"
            raise invalid_query(
                token.start, f"a term, a phrase, a range or '('{after}", _describe(token)
            )
        self._take()
        boost = self._boost()
        slop = self._take() if self._peek().kind is Kind.FUZZY_SLOP else None
        if boost is None:
            boost = self._boost()
        if token.kind is Kind.QUOTED:
            return _boosted(self._leaves.phrase(scope, token, slop), boost)
        return _boosted(self._leaves.bare(scope, token, slop), boost)

    def _range(self, scope: Scope) -> Query | None:
        opening = self._take()
        lower = self._expect(_RANGE_BOUNDS, "the lower bound of the range")
        self._expect((Kind.RANGE_TO,), "'TO' after the lower bound of the range")
        upper = self._expect(_RANGE_BOUNDS, "the upper bound of the range")
        closing = self._expect(
            (Kind.RANGEIN_END, Kind.RANGEEX_END),
            f"']' or '}}' to close the range opened at position {opening.start}",
        )
        inclusive = (opening.kind is Kind.RANGEIN_START, closing.kind is Kind.RANGEIN_END)
        query = self._leaves.range(
            scope, _range_bound(lower), _range_bound(upper), inclusive, opening
        )
        return _boosted(query, self._boost())


def _add(
    clauses: list[_Pending], conjunction: _Conjunction, modifier: Occur | None, query: Query | None
) -> None:
    """Lucene's addClause, default operator OR: ``AND`` also makes the previous clause required."""
    if clauses and conjunction is _Conjunction.AND and clauses[-1].occur is not Occur.MUST_NOT:
        clauses[-1].occur = Occur.MUST
    if query is None:
        return
    if modifier is None and conjunction is _Conjunction.AND:
        modifier = Occur.MUST
    clauses.append(_Pending(modifier or Occur.SHOULD, query))


def _boosted(query: Query | None, boost: float | None) -> Query | None:
    if query is None or boost is None:
        return query
    return Boost(query, boost)


def _boolean(clauses: list[_Pending]) -> Query | None:
    """The clauses as a boolean query; a lone optional clause is just that clause."""
    if not clauses:
        return None
    if len(clauses) == 1 and clauses[0].occur is Occur.SHOULD:
        return clauses[0].query
    return Boolean(Clause(pending.occur, pending.query) for pending in clauses)


def _range_bound(token: Token) -> str | None:
    if token.kind is Kind.RANGE_QUOTED:
        return unescape(token.image[1:-1], token.start + 1)
    if token.image == "*":
        return None
    return unescape(token.image, token.start)
