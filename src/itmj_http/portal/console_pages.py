"""The platform console's employer pages (``/platform/employers``, the trusted-partner flag
and contracts) and the queue of credit orders to confirm (``/platform/orders``). Staff
only."""

from datetime import UTC, date, datetime, time

import falcon

from itmj_domain.credits import CreditKind
from itmj_domain.errors import InvalidInput, NotFound
from itmj_domain.pagination import PageRequest
from itmj_domain.services.accounts import Accounts
from itmj_domain.services.console import Console
from itmj_domain.services.credit_orders import CreditOrders
from itmj_domain.services.credits import Credits
from itmj_domain.sessions import FlashLevel
from itmj_http.portal.actions import act, page_number, sentence
from itmj_http.portal.context import PortalContext
from itmj_http.portal.credit_pages import price
from itmj_http.portal.guards import staff_member
from itmj_http.portal.middleware import PortalResource
from itmj_http.portal.pages import Pages, paging

EMPLOYERS_PATH = "/platform/employers"
ORDERS_PATH = "/platform/orders"
PAGE_SIZE = 50


@staff_member
class EmployersPage(PortalResource):
    def __init__(self, console: Console, pages: Pages) -> None:
        self._console = console
        self._pages = pages

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        found = self._console.employers(PageRequest(page_number(req), PAGE_SIZE))
        self._pages.render(req, resp, "platform/employers.html", employers=found.items,
                           **paging(found))


@staff_member
class TrustEmployer(PortalResource):
    def __init__(self, console: Console) -> None:
        self._console = console

    def on_post(self, req: falcon.Request, _resp: falcon.Response, employer_id: int) -> None:
        portal: PortalContext = req.context.portal
        trusted = portal.form.get("trusted") == "yes"
        act(req, portal.form.get("back") if portal.form.get("back") == EMPLOYERS_PATH
            else f"{EMPLOYERS_PATH}/{employer_id}",
            lambda: self._console.set_trusted_partner(employer_id, trusted),
            lambda employer: f"{employer.name} is {'now' if trusted else 'no longer'} a "
            "trusted partner" + (": its new keys are approved at once." if trusted else "."))


@staff_member
class EmployerPage(PortalResource):
    """An employer: its flag, balance, contracts (and adding one), its orders."""

    def __init__(self, accounts: Accounts, credits: Credits, orders: CreditOrders,
                 pages: Pages) -> None:
        self._accounts = accounts
        self._credits = credits
        self._orders = orders
        self._pages = pages

    def on_get(self, req: falcon.Request, resp: falcon.Response, employer_id: int) -> None:
        self._show(req, resp, employer_id, values={"kinds": []}, errors={})

    def on_post(self, req: falcon.Request, resp: falcon.Response, employer_id: int) -> None:
        """Add a contract: the kinds it makes unlimited, from one day until another."""
        portal: PortalContext = req.context.portal
        form = portal.form
        valid_from, valid_until = form.get("valid_from"), form.get("valid_until")
        values: dict[str, object] = {
            "kinds": form.all("kinds"), "valid_from": valid_from, "valid_until": valid_until,
        }
        try:
            contract = self._credits.add_contract(
                employer_id, _kinds(form.all("kinds")), _day(valid_from, "valid_from"),
                _day(valid_until, "valid_until"),
            )
        except NotFound:
            raise falcon.HTTPNotFound() from None
        except InvalidInput as refused:
            field = refused.field if refused.field in ("kinds", "valid_until") else "valid_from"
            self._show(req, resp, employer_id, values, {field: sentence(refused.message)}, 400)
            return
        portal.flash(FlashLevel.SUCCESS, f"Contract #{contract.id} is added.")
        raise falcon.HTTPSeeOther(f"{EMPLOYERS_PATH}/{employer_id}")

    def _show(self, req: falcon.Request, resp: falcon.Response, employer_id: int,
              values: dict[str, object], errors: dict[str, str], status: int = 200) -> None:
        try:
            employer = self._accounts.get_employer(employer_id)
        except NotFound:
            raise falcon.HTTPNotFound() from None
        overview = self._credits.overview(employer_id)
        self._pages.render(
            req, resp, "platform/employer.html", status=status, employer=employer,
            balances=[(kind, overview.balance.available(kind), kind in overview.balance.unlimited)
                      for kind in CreditKind],
            contracts=self._credits.contracts(employer_id), kinds=list(CreditKind),
            orders=[(o, price(o.bundle)) for o in self._orders.for_employer(
                employer_id, PageRequest(1, 20)).items],
            values=values, errors=errors,
        )


@staff_member
class OrdersPage(PortalResource):
    def __init__(self, orders: CreditOrders, accounts: Accounts, pages: Pages) -> None:
        self._orders = orders
        self._accounts = accounts
        self._pages = pages

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        found = self._orders.awaiting_confirmation(PageRequest(page_number(req), PAGE_SIZE))
        names = {o.employer_id: self._accounts.get_employer(o.employer_id).name
                 for o in found.items}
        self._pages.render(
            req, resp, "platform/orders.html",
            orders=[(o, price(o.bundle), names[o.employer_id]) for o in found.items],
            **paging(found),
        )


@staff_member
class DecideOrder(PortalResource):
    def __init__(self, orders: CreditOrders) -> None:
        self._orders = orders

    def on_post(self, req: falcon.Request, _resp: falcon.Response, order_id: int,
                decision: str) -> None:
        if decision == "confirm":
            act(req, ORDERS_PATH, lambda: self._orders.confirm(order_id),
                lambda order: f"Order #{order.id} is confirmed: {order.bundle.credits} "
                f"{order.bundle.kind.value} credits are granted.")
        if decision == "reject":
            act(req, ORDERS_PATH, lambda: self._orders.reject(order_id),
                lambda order: f"Order #{order.id} is rejected; nothing is granted.")
        raise falcon.HTTPNotFound()


def _kinds(values: list[str]) -> frozenset[CreditKind]:
    try:
        return frozenset(CreditKind(value) for value in values)
    except ValueError:
        raise InvalidInput("choose kinds from the list", field="kinds") from None


def _day(value: str, field: str) -> datetime:
    """A date from the form's date field, as midnight UTC."""
    try:
        return datetime.combine(date.fromisoformat(value), time(), tzinfo=UTC)
    except ValueError:
        raise InvalidInput("give a date as YYYY-MM-DD", field=field) from None
