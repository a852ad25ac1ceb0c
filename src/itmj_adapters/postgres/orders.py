"""Credit orders in PostgreSQL."""

from itmj_adapters.postgres import rows
from itmj_adapters.postgres.session import Session
from itmj_domain.orders import CreditOrder, OrderStatus
from itmj_domain.pagination import Page, PageRequest

_INSERT_ORDER = (
    f"INSERT INTO credit_orders ({rows.ORDER_COLUMNS}) VALUES ({rows.ORDER_PLACEHOLDERS})"
)
# What an order is never changes after it is placed; only its decision does.
_SAVE_ORDER = """
UPDATE credit_orders SET status = %s, decided_at = %s, ledger_entry_id = %s WHERE id = %s
"""
_SELECT_ORDER = f"SELECT {rows.ORDER_COLUMNS} FROM credit_orders WHERE id = %s"
_SELECT_ORDER_FOR_UPDATE = f"{_SELECT_ORDER} FOR UPDATE"
_LIST_EMPLOYER_ORDERS = f"""
SELECT count(*) OVER (), {rows.ORDER_COLUMNS} FROM credit_orders WHERE employer_id = %s
ORDER BY created_at DESC, id DESC LIMIT %s OFFSET %s
"""
_COUNT_EMPLOYER_ORDERS = "SELECT count(*) FROM credit_orders WHERE employer_id = %s"
_LIST_WITH_STATUS = f"""
SELECT count(*) OVER (), {rows.ORDER_COLUMNS} FROM credit_orders WHERE status = %s
ORDER BY created_at, id LIMIT %s OFFSET %s
"""
_COUNT_WITH_STATUS = "SELECT count(*) FROM credit_orders WHERE status = %s"


class PostgresOrders:
    def __init__(self, session: Session) -> None:
        self._session = session

    def next_id(self) -> int:
        return self._session.next_id("credit_orders_id_seq")

    def add(self, order: CreditOrder) -> None:
        self._session.write(_INSERT_ORDER, rows.order_row(order))

    def get(self, order_id: int, *, for_update: bool = False) -> CreditOrder | None:
        query = _SELECT_ORDER_FOR_UPDATE if for_update else _SELECT_ORDER
        row = self._session.one(query, (order_id,))
        return None if row is None else rows.order(row)

    def save(self, order: CreditOrder) -> None:
        self._session.write(
            _SAVE_ORDER, (order.status.value, order.decided_at, order.ledger_entry_id, order.id)
        )

    def list_for_employer(self, employer_id: int, page: PageRequest) -> Page[CreditOrder]:
        found, total = self._session.page(
            _LIST_EMPLOYER_ORDERS, _COUNT_EMPLOYER_ORDERS, (employer_id,), page.page_size,
            page.offset,
        )
        return Page([rows.order(row) for row in found], total, page)

    def with_status(self, status: OrderStatus, page: PageRequest) -> Page[CreditOrder]:
        found, total = self._session.page(
            _LIST_WITH_STATUS, _COUNT_WITH_STATUS, (status.value,), page.page_size, page.offset
        )
        return Page([rows.order(row) for row in found], total, page)
