"""Whether one document matches a query: the reference every search backend must agree with.

Straightforward on purpose: the document is analyzed, then the tree is walked. Each field value
is analyzed on its own, so a phrase never spans two skills or two fields; a leaf without a field
matches when any field does.
"""

import functools
from collections.abc import Callable

from itmj_domain.search.analyzer import analyze
from itmj_domain.search.fields import SearchDocument, SearchField
from itmj_domain.search.fuzzy import within_edits
from itmj_domain.search.lucene_regexp import compile_regexp
from itmj_domain.search.phrase import contains_phrase
from itmj_domain.search.regular_language import LanguageMatcher
from itmj_domain.search.tree import (
    Boolean,
    Boost,
    Exists,
    Fuzzy,
    MatchAll,
    MatchNone,
    Phrase,
    Prefix,
    Query,
    Range,
    Regexp,
    Term,
    Wildcard,
)
from itmj_domain.search.wildcard import wildcard_matcher

_Values = tuple[tuple[str, ...], ...]
_TokenQuery = Term | Prefix | Wildcard | Fuzzy | Regexp | Range


def matches(query: Query, document: SearchDocument) -> bool:
    """Whether ``document`` is among the results of ``query``."""
    return _Evaluator(document).matches(query)


@functools.lru_cache(maxsize=256)
def _regexp_matcher(pattern: str) -> LanguageMatcher:
    return compile_regexp(pattern)


def _token_test(query: _TokenQuery) -> Callable[[str], object]:
    """What a token must satisfy for a single-token query to match."""
    match query:
        case Term():
            return query.text.__eq__
        case Prefix():
            return lambda token: token.startswith(query.prefix)
        case Wildcard():
            return wildcard_matcher(query.pattern)
        case Fuzzy():
            return lambda token: within_edits(query.text, token, query.max_edits)
        case Regexp():
            return _regexp_matcher(query.pattern).matches
    return lambda token: _in_range(query, token)


def _in_range(query: Range, token: str) -> bool:
    if query.lower is not None and (
        token < query.lower or (token == query.lower and not query.include_lower)
    ):
        return False
    return (
        query.upper is None or token < query.upper or (token == query.upper and query.include_upper)
    )


class _Evaluator:
    def __init__(self, document: SearchDocument) -> None:
        self._document = document
        self._analyzed: dict[SearchField, _Values] = {}

    def _values(self, field: SearchField | None) -> _Values:
        """The analyzed values of ``field``, of every field when ``None``."""
        if field is None:
            return tuple(value for each in SearchField for value in self._values(each))
        if field not in self._analyzed:
            self._analyzed[field] = tuple(analyze(value) for value in self._document.values(field))
        return self._analyzed[field]

    def matches(self, query: Query) -> bool:
        match query:
            case Boolean():
                return self._boolean(query)
            case Boost():
                return self.matches(query.query)
            case Phrase():
                return any(
                    contains_phrase(tokens, query.terms, query.slop)
                    for tokens in self._values(query.field)
                )
            case Exists(field=SearchField() as field):
                return bool(self._document.values(field))
            case Exists():
                return any(self._document.values(field) for field in SearchField)
            case MatchAll():
                return True
            case MatchNone():
                return False
        return any(
            _token_test(query)(token) for tokens in self._values(query.field) for token in tokens
        )

    def _boolean(self, query: Boolean) -> bool:
        if any(self.matches(excluded) for excluded in query.must_not):
            return False
        if query.must:
            return all(self.matches(required) for required in query.must)
        return not query.should or any(self.matches(optional) for optional in query.should)
