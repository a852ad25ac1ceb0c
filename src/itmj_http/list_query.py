"""The query of a sync-able list (jobs, a job's applications) and the way to its next page.

A list is read by page number (``page``) or after a cursor (``cursor``), never both: the
first page needs neither. Every page but the last says where the next one starts
(``nextCursor``) and links to it (``Link: <…>; rel="next"``, root-relative, keeping the
request's other parameters). The link goes on by number when the request named its page,
otherwise by cursor, which stays put when rows are added or closed in between.
"""

from collections.abc import Callable
from datetime import datetime
from typing import Generic, TypeVar
from urllib.parse import parse_qsl, quote, urlencode

import attrs
import falcon

from itmj_domain.pagination import MAX_PAGE_SIZE, Page, PageRequest, Position
from itmj_http import cursors
from itmj_http.params import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE,
    E,
    enum_param,
    int_param,
    only_params,
    single_param,
    timestamp_param,
)

_PARAMS = frozenset({"page", "pageSize", "status", "cursor", "updatedSince"})
T = TypeVar("T")


@attrs.frozen
class ListQuery(Generic[E]):
    page: PageRequest
    status: E | None
    updated_since: datetime | None
    # The request named its page: its next one is linked by number too.
    numbered: bool


def list_query(
    req: falcon.Request, statuses: type[E], listing: str,
    also: frozenset[str] = frozenset(),
) -> ListQuery[E]:
    """``listing`` names the list, as its cursors do; ``also`` are the parameters the list
    takes besides the common ones."""
    only_params(req, _PARAMS | also)
    size = int_param(req, "pageSize", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
    cursor = single_param(req, "cursor")
    numbered = "page" in req.params
    if cursor is None:
        page = PageRequest(int_param(req, "page", 1, MAX_PAGE), size)
    elif numbered:
        raise falcon.HTTPBadRequest(
            description="cursor: a page is asked for by cursor or by page, not both"
        )
    else:
        try:
            page = PageRequest(page_size=size, after=cursors.decode(cursor, listing))
        except cursors.InvalidCursor as error:
            raise falcon.HTTPBadRequest(description=str(error)) from None
    return ListQuery(
        page, enum_param(req, "status", statuses), timestamp_param(req, "updatedSince"),
        numbered,
    )


def next_page(
    req: falcon.Request, resp: falcon.Response, query: ListQuery[E], page: Page[T],
    position: Callable[[T], Position], listing: str,
) -> str | None:
    """The cursor of the page that follows ``page``, if one does, with the Link to it set
    on ``resp``."""
    if not page.more or not page.items:
        return None
    cursor = cursors.encode(position(page.items[-1]), listing)
    following = ("page", str(page.number + 1)) if query.numbered else ("cursor", cursor)
    kept = [
        (name, value)
        for name, value in parse_qsl(req.query_string, keep_blank_values=True)
        if name not in ("page", "cursor")
    ]
    target = f"{req.path}?{urlencode([*kept, following], quote_via=quote)}"
    resp.append_header("Link", f'<{target}>; rel="next"')
    return cursor
