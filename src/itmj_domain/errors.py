"""Errors a use case can raise; the edges translate them into their own vocabulary."""


class DomainError(Exception):
    """Base of every rule violation the domain reports."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(DomainError):
    """A value breaks a rule; ``field`` names it (domain attribute name) when one is to blame."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class InvalidState(DomainError):
    """The object exists but its current state does not allow the operation."""


class NotFound(DomainError):
    """Missing, or owned by another employer: callers must not be able to tell which."""


class NoCredits(DomainError):
    """The employer has no credit of the needed kind and no contract covering it."""


class PreconditionFailed(DomainError):
    """The caller made the write conditional on a version of the object that is no longer
    the current one: nothing was changed or charged."""
