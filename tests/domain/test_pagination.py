import pytest

from itmj_domain.errors import InvalidInput
from itmj_domain.pagination import MAX_PAGE_SIZE, PageRequest
from tests.refusals import refused


@pytest.mark.parametrize("page", [0, -1])
def test_pages_count_from_one(page):
    with refused(InvalidInput, field="page"):
        PageRequest(page, 10)


@pytest.mark.parametrize("size", [0, MAX_PAGE_SIZE + 1])
def test_a_page_holds_one_to_a_hundred_items(size):
    with refused(InvalidInput, field="page_size"):
        PageRequest(1, size)


def test_the_bounds_are_accepted_and_the_offset_skips_earlier_pages():
    assert PageRequest(1, 1).offset == 0
    assert PageRequest(3, MAX_PAGE_SIZE).offset == 2 * MAX_PAGE_SIZE
    assert (PageRequest().page, PageRequest().page_size) == (1, 50)
