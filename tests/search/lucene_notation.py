"""Query trees written the way Lucene's ``Query.toString()`` writes the query it parsed.

The oracle table records Lucene's ``toString`` for each query; rendering our tree the same way
checks the parse clause by clause, not only its matches. Leaves without a field belong to the
oracle's combined default field, ``text``.
"""

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

DEFAULT_FIELD = "text"


def lucene_notation(query: Query) -> str:
    match query:
        case Boolean():
            clauses = [clause.occur.value + _nested(clause.query) for clause in query.clauses]
            if not query.must and not query.should:
                clauses.append("#*:*")
            return " ".join(clauses)
        case Boost():
            return f"({lucene_notation(query.query)})^{query.boost}"
        case Exists():
            return f"ConstantScore(NormsFieldExistsQuery [field={_field(query)}])"
        case MatchAll():
            return "*:*"
        case MatchNone():
            return ""
    return f"{_field(query)}:{_leaf_body(query)}"


def _leaf_body(query: Term | Phrase | Prefix | Wildcard | Fuzzy | Regexp | Range) -> str:
    match query:
        case Term():
            return query.text
        case Phrase():
            slop = f"~{query.slop}" if query.slop else ""
            return f'"{" ".join(query.terms)}"{slop}'
        case Prefix():
            return f"{query.prefix}*"
        case Wildcard():
            return query.pattern
        case Fuzzy():
            return f"{query.text}~{query.max_edits}"
        case Regexp():
            return f"/{query.pattern}/"
    opening = "[" if query.include_lower else "{"
    closing = "]" if query.include_upper else "}"
    return f"{opening}{query.lower or '*'} TO {query.upper or '*'}{closing}"


def _nested(query: Query) -> str:
    text = lucene_notation(query)
    return f"({text})" if isinstance(query, Boolean) else text


def _field(query: Term | Phrase | Prefix | Wildcard | Fuzzy | Regexp | Range | Exists) -> str:
    return DEFAULT_FIELD if query.field is None else query.field.value
