"""How tests expect a refusal: the error the rule raises, explaining itself to a person (the
SPEC §4 envelope carries its message) and, for bad input, naming the field to blame."""

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from itmj_domain.errors import DomainError, InvalidInput

_ANY = object()


@contextmanager
def refused(
    error: type[DomainError], *, field: str | object | None = _ANY, match: str | None = None
) -> Iterator[pytest.ExceptionInfo]:
    with pytest.raises(error, match=match) as raised:
        yield raised
    message = raised.value.message
    assert isinstance(message, str) and message.strip(), "a refusal explains itself"
    if field is not _ANY:
        assert isinstance(raised.value, InvalidInput)
        assert raised.value.field == field
