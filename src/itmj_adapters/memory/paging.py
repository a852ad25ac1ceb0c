"""A page of a newest-first list held in memory, by number or after a position."""

from collections.abc import Callable, Sequence
from typing import TypeVar

from itmj_domain.pagination import Page, PageRequest, Position

T = TypeVar("T")


def newest_first_page(
    matching: Sequence[T], position: Callable[[T], Position], page: PageRequest
) -> Page[T]:
    """``matching`` is every row that passes the list's filters, in any order."""
    rows = sorted(matching, key=lambda row: _key(position(row)), reverse=True)
    if page.after is None:
        return Page(rows[page.offset : page.offset + page.page_size], len(rows), page)
    after = _key(page.after)
    skipped = sum(1 for row in rows if _key(position(row)) >= after)
    following = rows[skipped:]
    return Page(
        following[: page.page_size], len(rows), page,
        skipped=skipped, more=len(following) > page.page_size,
    )


def _key(position: Position) -> tuple[object, int]:
    return position.at, position.id
