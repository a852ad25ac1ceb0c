"""The error a malformed query raises."""

from itmj_domain.errors import DomainError


class InvalidQuery(DomainError):
    """The query cannot be parsed; ``position`` is the 0-based character offset of the problem.

    The message says where and what was expected there, for the person who typed the query.
    """

    def __init__(self, message: str, position: int) -> None:
        super().__init__(message)
        self.position = position


def invalid_query(position: int, expected: str, found: str) -> InvalidQuery:
    """The error for finding ``found`` at ``position`` where ``expected`` should be."""
    return InvalidQuery(
        f"Invalid query at position {position}: expected {expected}, found {found}", position
    )
