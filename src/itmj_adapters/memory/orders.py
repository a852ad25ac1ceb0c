"""In-memory credit orders."""

from itmj_adapters.memory.store import Transaction
from itmj_domain.orders import CreditOrder, OrderStatus
from itmj_domain.pagination import Page, PageRequest


class MemoryOrders:
    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    def next_id(self) -> int:
        return self._tx.store.next_id("orders")

    def add(self, order: CreditOrder) -> None:
        self._tx.put("orders", order.id, order)

    def get(self, order_id: int, *, for_update: bool = False) -> CreditOrder | None:
        return self._tx.table("orders").get(order_id)

    def save(self, order: CreditOrder) -> None:
        self._tx.put("orders", order.id, order)

    def list_for_employer(self, employer_id: int, page: PageRequest) -> Page[CreditOrder]:
        found = sorted(
            (o for o in self._tx.table("orders").values() if o.employer_id == employer_id),
            key=lambda o: (o.created_at, o.id),
            reverse=True,
        )
        return Page(found[page.offset : page.offset + page.page_size], len(found), page)

    def with_status(self, status: OrderStatus, page: PageRequest) -> Page[CreditOrder]:
        found = sorted(
            (o for o in self._tx.table("orders").values() if o.status is status),
            key=lambda o: (o.created_at, o.id),
        )
        return Page(found[page.offset : page.offset + page.page_size], len(found), page)
