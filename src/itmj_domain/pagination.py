"""Page requests and pages of results, shared by every listing."""

from collections.abc import Sequence
from typing import Generic, TypeVar

import attrs

from itmj_domain.errors import InvalidInput

T = TypeVar("T")

MAX_PAGE_SIZE = 100


@attrs.frozen
class PageRequest:
    page: int = 1
    page_size: int = 50

    def __attrs_post_init__(self) -> None:
        if self.page < 1:
            raise InvalidInput("page must be 1 or more", field="page")
        if not 1 <= self.page_size <= MAX_PAGE_SIZE:
            raise InvalidInput(
                f"page_size must be between 1 and {MAX_PAGE_SIZE}", field="page_size"
            )

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size


@attrs.frozen
class Page(Generic[T]):
    items: Sequence[T]
    total: int
    request: PageRequest
