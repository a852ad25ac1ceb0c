from datetime import UTC, datetime

import pytest

from itmj_domain.errors import InvalidInput
from itmj_domain.pagination import MAX_PAGE_SIZE, Page, PageRequest, Position
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


def test_a_page_is_asked_for_by_number_or_by_position_not_both():
    after = Position(datetime(2026, 1, 1, tzinfo=UTC), 7)
    assert PageRequest(page_size=5, after=after).page == 1
    with refused(InvalidInput, field="page"):
        PageRequest(2, 5, after)


def test_a_numbered_page_knows_what_precedes_and_follows_it_from_its_total():
    assert (Page([1, 2], 5, PageRequest(2, 2)).skipped,
            Page([1, 2], 5, PageRequest(2, 2)).more) == (2, True)
    assert Page([5], 5, PageRequest(3, 2)).more is False
    assert Page([], 5, PageRequest(9, 2)).number == 9


def test_a_page_after_a_position_reports_the_number_its_first_row_falls_on():
    after = PageRequest(page_size=10, after=Position(datetime(2026, 1, 1, tzinfo=UTC), 7))
    assert Page(list(range(10)), 45, after, skipped=20, more=True).number == 3
    assert Page([1], 45, after, skipped=25, more=False).number == 3
