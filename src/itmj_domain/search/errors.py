"""The errors that refuse a query: malformed, or too costly to evaluate; or that the index
cannot answer it at all just now."""

from itmj_domain.errors import DomainError


class InvalidQuery(DomainError):
    """The query is refused; ``position`` is the 0-based character offset of the problem, or
    ``None`` when no one place is to blame.

    The message says where and what was expected there, for the person who typed the query.
    """

    def __init__(self, message: str, position: int | None) -> None:
        super().__init__(message)
        self.position = position


class QueryTooExpensive(InvalidQuery):
    """The query is well formed, but evaluating it would take more work than one search may
    (SPEC §11): refused before anything is charged, as a malformed query is."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"query too expensive: {reason}", None)


def invalid_query(position: int, expected: str, found: str) -> InvalidQuery:
    """The error for finding ``found`` at ``position`` where ``expected`` should be."""
    return InvalidQuery(
        f"Invalid query at position {position}: expected {expected}, found {found}", position
    )


class SearchUnavailable(DomainError):
    """The candidate index cannot be reached (SPEC §11 "Search limits"): the search is refused
    before anything is charged, and may succeed later. What does not search carries on."""
