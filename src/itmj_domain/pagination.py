"""Page requests and pages of results, shared by every listing.

A page is asked for by number (an offset) or, in the lists that support it, after a
``Position``: the keyset of the last row seen. A position stays where it is when rows are
added or change status in between, so walking a list by positions neither repeats nor skips
a row, which numbered pages cannot promise.
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Generic, TypeVar

import attrs

from itmj_domain.errors import InvalidInput

T = TypeVar("T")

MAX_PAGE_SIZE = 100


@attrs.frozen
class Position:
    """A row's place in a newest-first list: its time (created, or applied) and its id,
    which breaks ties between rows of the same time."""

    at: datetime
    id: int


@attrs.frozen
class PageRequest:
    """``page`` counts from 1; with ``after``, the page holds the rows that follow that
    position instead, and ``page`` stays 1."""

    page: int = 1
    page_size: int = 50
    after: Position | None = None

    def __attrs_post_init__(self) -> None:
        if self.page < 1:
            raise InvalidInput("page must be 1 or more", field="page")
        if not 1 <= self.page_size <= MAX_PAGE_SIZE:
            raise InvalidInput(
                f"page_size must be between 1 and {MAX_PAGE_SIZE}", field="page_size"
            )
        if self.after is not None and self.page != 1:
            raise InvalidInput("a page is asked for by number or by position, not both",
                               field="page")

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size


def _skipped_by_offset(page: "Page[object]") -> int:
    return page.request.offset


def _more_by_count(page: "Page[object]") -> bool:
    return page.skipped + len(page.items) < page.total


@attrs.frozen
class Page(Generic[T]):
    """``skipped`` matching rows come before this page and ``more`` says whether any
    follow it: a numbered page knows both from its offset and the total, while a page after
    a position has them from its adapter."""

    items: Sequence[T]
    total: int
    request: PageRequest
    skipped: int = attrs.Factory(_skipped_by_offset, takes_self=True)
    more: bool = attrs.Factory(_more_by_count, takes_self=True)

    @property
    def number(self) -> int:
        """The page's number when the list is read in pages of this size: a page after a
        position reports the one its first row falls on."""
        return self.skipped // self.request.page_size + 1
