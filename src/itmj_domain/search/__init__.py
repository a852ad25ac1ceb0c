"""CV search's query language: Elasticsearch ``query_string`` syntax with Lucene's semantics.

``parse_query`` turns text into a tree (``tree``), ``matches`` is the reference answer for one
document. The analyzer, wildcard, fuzzy and regular-expression helpers are public so that
indexes reuse exactly the same rules.
"""

from itmj_domain.search.errors import InvalidQuery, QueryTooExpensive, SearchUnavailable
from itmj_domain.search.evaluator import matches
from itmj_domain.search.fields import SearchDocument, SearchField
from itmj_domain.search.leaves import MAX_CLAUSES, MAX_PHRASE_TERMS
from itmj_domain.search.parser import MAX_QUERY_LENGTH, parse_query

__all__ = [
    "MAX_CLAUSES",
    "MAX_PHRASE_TERMS",
    "MAX_QUERY_LENGTH",
    "InvalidQuery",
    "QueryTooExpensive",
    "SearchDocument",
    "SearchField",
    "SearchUnavailable",
    "matches",
    "parse_query",
]
