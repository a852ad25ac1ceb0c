"""Path and query parameters, parsed strictly: digits only, no sign, no repeats."""

import enum
import re
from typing import TypeVar

import falcon

from itmj_domain.pagination import MAX_PAGE_SIZE, PageRequest
from itmj_http.api_error import ApiError
from itmj_http.json_converter import INT64_MAX, echo_name

# How deep a job or application list pages; past it a page is refused rather than empty.
MAX_PAGE = 1_000_000
DEFAULT_PAGE_SIZE = 50
_LIST_PARAMS = frozenset({"page", "pageSize", "status"})
_DIGITS = re.compile(r"[0-9]{1,19}", re.ASCII)
E = TypeVar("E", bound=enum.Enum)


def path_id(raw: str, name: str) -> int:
    """A positive int64 id from the path; anything else is the caller's mistake, never a
    404 (which would hint that such an id could exist)."""
    value = _digits(raw)
    if value is None or not 1 <= value <= INT64_MAX:
        raise _bad(name, "expected a positive integer")
    return value


def only_params(req: falcon.Request, allowed: frozenset[str]) -> None:
    unknown = sorted(set(req.params) - allowed)
    if unknown:
        raise _bad(echo_name(unknown[0]), "unknown query parameter")


def no_params(req: falcon.Request) -> None:
    only_params(req, frozenset())


def list_params(req: falcon.Request, statuses: type[E]) -> tuple[PageRequest, E | None]:
    """The query of a list: which ``page`` of how many items (``pageSize``), and the
    ``status`` of ``statuses`` the items must have, if any. No other parameter is allowed."""
    only_params(req, _LIST_PARAMS)
    page = PageRequest(
        int_param(req, "page", 1, MAX_PAGE),
        int_param(req, "pageSize", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE),
    )
    return page, enum_param(req, "status", statuses)


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


def _bad(name: str, problem: str) -> ApiError:
    return ApiError(400, "invalid_request", f"{name}: {problem}", field=name)
