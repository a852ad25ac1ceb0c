"""One page of a newest-first list, by number or after a position (the keyset).

The statements are built from fixed fragments (the table, its time column, the filters in
force) and kept once built; values only ever travel as parameters. The keyset conditions
compare rows, ``(time, id) < (%s, %s)``, which the lists' (…, time DESC, id DESC) indexes
answer as a range.
"""

from collections.abc import Sequence
from functools import cache
from typing import Any

from itmj_adapters.postgres.session import Session
from itmj_domain.pagination import PageRequest


def newest_first(
    session: Session, table: str, columns: str, time: str,
    where: Sequence[str], params: tuple[Any, ...], page: PageRequest,
) -> tuple[list[tuple[Any, ...]], int, int, bool]:
    """The rows of the page, the total of the rows ``where`` all hold, how many of them
    come before the page, and whether any follow it."""
    conditions = " AND ".join(where)
    if page.after is None:
        listing, counting = _by_number(table, columns, time, conditions)
        found, total = session.page(listing, counting, params, page.page_size, page.offset)
        return found, total, page.offset, page.offset + len(found) < total
    key = (page.after.at, page.after.id)
    # One statement, so the counts and the rows come from one snapshot; one row more
    # than the page says whether another page follows.
    rows = session.all(
        _after(table, columns, time, conditions),
        (*key, *params, *params, *key, page.page_size + 1),
    )
    total, skipped = rows[0][0], rows[0][1]
    # The columns start with id, null only in the row the join pads an empty page with.
    found = [row[2:] for row in rows if row[2] is not None]
    return found[: page.page_size], total, skipped, len(found) > page.page_size


@cache
def _by_number(table: str, columns: str, time: str, conditions: str) -> tuple[str, str]:
    listing = f"""
    SELECT count(*) OVER (), {columns} FROM {table} WHERE {conditions}
    ORDER BY {time} DESC, id DESC LIMIT %s OFFSET %s
    """
    return listing, f"SELECT count(*) FROM {table} WHERE {conditions}"


@cache
def _after(table: str, columns: str, time: str, conditions: str) -> str:
    return f"""
    SELECT counted.total, counted.skipped, found.* FROM (
        SELECT count(*) AS total, count(*) FILTER (WHERE ({time}, id) >= (%s, %s)) AS skipped
        FROM {table} WHERE {conditions}
    ) AS counted
    LEFT JOIN LATERAL (
        SELECT {columns} FROM {table} WHERE {conditions} AND ({time}, id) < (%s, %s)
        ORDER BY {time} DESC, id DESC LIMIT %s
    ) AS found ON true
    """
