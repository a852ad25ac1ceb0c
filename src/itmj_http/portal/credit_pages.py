"""Credits: the bundles on offer and buying one, the employer's orders, and the ledger with
every grant and debit and what it paid for (``/employer/credits``). Admins only."""

import falcon

from itmj_domain import credits
from itmj_domain.credits import CreditKind, LedgerEntry
from itmj_domain.orders import Bundle, CreditOrder, OrderStatus
from itmj_domain.pagination import PageRequest
from itmj_domain.services.credit_orders import CreditOrders
from itmj_domain.services.credits import Credits
from itmj_http.portal.actions import act, page_number
from itmj_http.portal.context import PortalContext
from itmj_http.portal.guards import employer_admin
from itmj_http.portal.middleware import PortalResource
from itmj_http.portal.pages import Pages, paging

CREDITS_PATH = "/employer/credits"
LEDGER_PAGE_SIZE = 25
ORDERS_SHOWN = 10


def price(bundle: Bundle) -> str:
    symbol = "£" if bundle.currency == "GBP" else f"{bundle.currency} "
    return f"{symbol}{bundle.price_pence / 100:,.2f}"


def ledger_line(entry: LedgerEntry) -> dict[str, object]:
    return {"entry": entry, "what": credits.describe(entry)}


def _bought(order: CreditOrder) -> str:
    bundle = order.bundle
    if order.status is OrderStatus.CONFIRMED:
        return (f"Order #{order.id} is confirmed: {bundle.credits} {bundle.kind.value} credits "
                "are added to your balance.")
    return (f"Order #{order.id} for {bundle.credits} {bundle.kind.value} credits is placed. "
            "Platform staff confirm it, usually within one business day; the credits are "
            "added then.")


@employer_admin
class CreditsPage(PortalResource):
    def __init__(self, credits: Credits, orders: CreditOrders, pages: Pages) -> None:
        self._credits = credits
        self._orders = orders
        self._pages = pages

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        portal: PortalContext = req.context.portal
        assert portal.user is not None
        employer_id = portal.user.employer_id
        history = self._credits.history(
            employer_id, PageRequest(page_number(req), LEDGER_PAGE_SIZE)
        )
        balance = self._credits.balance(employer_id)
        self._pages.render(
            req, resp, "employer/credits.html",
            balances=[(kind, balance.available(kind), kind in balance.unlimited)
                      for kind in CreditKind],
            offer=[(kind, [(b, price(b)) for b in self._orders.offer() if b.kind is kind])
                   for kind in CreditKind],
            orders=[(o, price(o.bundle)) for o in self._orders.for_employer(
                employer_id, PageRequest(1, ORDERS_SHOWN)).items],
            ledger=[ledger_line(e) for e in history.items],
            **paging(history),
        )


@employer_admin
class BuyBundle(PortalResource):
    def __init__(self, orders: CreditOrders) -> None:
        self._orders = orders

    def on_post(self, req: falcon.Request, _resp: falcon.Response) -> None:
        portal: PortalContext = req.context.portal
        assert portal.user is not None
        user = portal.user
        act(req, CREDITS_PATH,
            lambda: self._orders.buy(user.employer_id, portal.form.get("bundle"), user.id),
            _bought)


@employer_admin
class CancelOrder(PortalResource):
    def __init__(self, orders: CreditOrders) -> None:
        self._orders = orders

    def on_post(self, req: falcon.Request, _resp: falcon.Response, order_id: int) -> None:
        portal: PortalContext = req.context.portal
        assert portal.user is not None
        employer_id = portal.user.employer_id
        act(req, CREDITS_PATH, lambda: self._orders.cancel(employer_id, order_id),
            lambda order: f"Order #{order.id} is cancelled.")
