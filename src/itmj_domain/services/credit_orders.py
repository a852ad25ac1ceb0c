"""Buying credit bundles: an order waits for platform staff, who confirm or reject it.

Confirming grants the bundle's credits through the ledger in the same unit of work that marks
the order Confirmed, with the order held: of two confirmations at once, the second finds it
Confirmed and changes nothing, so an order pays out exactly once. Where orders need no
review (the demo), ``confirm_at_once`` confirms each as it is placed, on the same path.
"""

from collections.abc import Sequence
from datetime import datetime

import attrs

from itmj_domain import credits, orders
from itmj_domain.clock import Clock
from itmj_domain.errors import InvalidInput, NotFound
from itmj_domain.orders import Bundle, CreditOrder, OrderStatus
from itmj_domain.pagination import Page, PageRequest
from itmj_domain.ports import UnitOfWork, UnitOfWorkFactory


@attrs.frozen
class CreditOrders:
    uow: UnitOfWorkFactory
    clock: Clock
    confirm_at_once: bool = False

    def offer(self) -> Sequence[Bundle]:
        return orders.BUNDLES

    def buy(self, employer_id: int, bundle_code: str, ordered_by: int | None) -> CreditOrder:
        """Order a bundle; ``ordered_by`` is the EmployerAdmin buying it, or None when
        platform staff order on the employer's behalf."""
        offered = orders.bundle(bundle_code)
        now = self.clock.now()
        with self.uow() as uow:
            if uow.employers.get(employer_id) is None:
                raise NotFound(f"employer {employer_id} not found")
            if ordered_by is not None:
                buyer = uow.users.get(ordered_by)
                if buyer is None or buyer.employer_id != employer_id or not buyer.is_admin:
                    raise InvalidInput(
                        "only an EmployerAdmin of this employer may buy credits",
                        field="ordered_by",
                    )
            order = CreditOrder(uow.orders.next_id(), employer_id, offered, ordered_by, now)
            uow.orders.add(order)
            if self.confirm_at_once:
                order = _pay_out(uow, order, now)
            uow.commit()
        return order

    def confirm(self, order_id: int) -> CreditOrder:
        now = self.clock.now()
        with self.uow() as uow:
            confirmed = _pay_out(uow, _order(uow, order_id, for_update=True), now)
            uow.commit()
        return confirmed

    def reject(self, order_id: int) -> CreditOrder:
        now = self.clock.now()
        with self.uow() as uow:
            rejected = _order(uow, order_id, for_update=True).reject(now)
            uow.orders.save(rejected)
            uow.commit()
        return rejected

    def cancel(self, employer_id: int, order_id: int) -> CreditOrder:
        """The employer withdraws its own order while it waits."""
        now = self.clock.now()
        with self.uow() as uow:
            order = _order(uow, order_id, for_update=True)
            if order.employer_id != employer_id:
                raise NotFound(f"order {order_id} not found")
            cancelled = order.cancel(now)
            uow.orders.save(cancelled)
            uow.commit()
        return cancelled

    def for_employer(self, employer_id: int, page: PageRequest) -> Page[CreditOrder]:
        with self.uow(read_only=True) as uow:
            return uow.orders.list_for_employer(employer_id, page)

    def awaiting_confirmation(self, page: PageRequest) -> Page[CreditOrder]:
        with self.uow(read_only=True) as uow:
            return uow.orders.with_status(OrderStatus.PENDING, page)


def _pay_out(uow: UnitOfWork, order: CreditOrder, now: datetime) -> CreditOrder:
    bundle = order.bundle
    entry = credits.grant(
        uow.ledger.next_id(), order.employer_id, bundle.kind, bundle.credits, now,
        reference=order.reference,
    )
    # The transition is checked before the grant is written: a second confirmation raises
    # here, with nothing appended.
    confirmed = order.confirm(now, entry.id)
    uow.ledger.append(entry)
    uow.orders.save(confirmed)
    return confirmed


def _order(uow: UnitOfWork, order_id: int, *, for_update: bool = False) -> CreditOrder:
    order = uow.orders.get(order_id, for_update=for_update)
    if order is None:
        raise NotFound(f"order {order_id} not found")
    return order
