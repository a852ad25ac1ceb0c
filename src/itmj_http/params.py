"""Path and query parameters, parsed strictly: digits only, no sign, no repeats."""

import enum
import re
from datetime import UTC, datetime
from typing import TypeVar

import falcon

from itmj_http.api_error import ApiError
from itmj_http.json_converter import INT64_MAX, TIMESTAMP_PATTERN, echo_name

# How deep a job or application list pages; past it a page is refused rather than empty.
MAX_PAGE = 1_000_000
DEFAULT_PAGE_SIZE = 50
_DIGITS = re.compile(r"[0-9]{1,19}", re.ASCII)
_TIMESTAMP = re.compile(TIMESTAMP_PATTERN)
E = TypeVar("E", bound=enum.Enum)


def path_id(raw: str, name: str) -> int:
    """A positive int64 id from the path; anything else is the caller's mistake, never a
    404 (which would hint that such an id could exist)."""
    value = optional_path_id(raw)
    if value is None:
        raise _bad(name, "expected a positive integer")
    return value


def optional_path_id(raw: str) -> int | None:
    """``path_id``'s id, or None for what it would refuse."""
    value = _digits(raw)
    return value if value is not None and 1 <= value <= INT64_MAX else None


def only_params(req: falcon.Request, allowed: frozenset[str]) -> None:
    unknown = sorted(set(req.params) - allowed)
    if unknown:
        raise _bad(echo_name(unknown[0]), "unknown query parameter")


def no_params(req: falcon.Request) -> None:
    only_params(req, frozenset())


def single_param(req: falcon.Request, name: str) -> str | None:
    value = req.params.get(name)
    if isinstance(value, list):
        raise _bad(name, "given more than once")
    return value


def int_param(req: falcon.Request, name: str, default: int, maximum: int) -> int:
    raw = single_param(req, name)
    if raw is None:
        return default
    value = _digits(raw)
    if value is None or not 1 <= value <= maximum:
        raise _bad(name, f"expected an integer between 1 and {maximum}")
    return value


def _digits(raw: str) -> int | None:
    return int(raw) if _DIGITS.fullmatch(raw) else None


def enum_param(req: falcon.Request, name: str, members: type[E]) -> E | None:
    raw = single_param(req, name)
    if raw is None:
        return None
    try:
        return members(raw)
    except ValueError:
        expected = ", ".join(member.value for member in members)
        raise _bad(name, f"expected one of {expected}") from None


def timestamp_param(req: falcon.Request, name: str) -> datetime | None:
    """An ISO 8601 time with ``Z`` or an offset, as in JSON bodies. A ``+`` left unencoded
    in a query string arrives as a space, which cannot otherwise be part of a time, so it
    is read as the ``+`` it was."""
    raw = single_param(req, name)
    if raw is None:
        return None
    text = raw.replace(" ", "+")
    try:
        if _TIMESTAMP.fullmatch(text):
            return datetime.fromisoformat(text).astimezone(UTC)
    except (ValueError, OverflowError):
        pass
    raise _bad(name, "expected an ISO 8601 time with Z or an offset, e.g. 2026-06-01T00:00:00Z")


def _bad(name: str, problem: str) -> ApiError:
    return ApiError(400, "invalid_request", f"{name}: {problem}", field=name)
