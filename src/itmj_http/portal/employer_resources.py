"""The employer portal's overview: balances, contract cover and recent ledger entries."""

import falcon

from itmj_domain.credits import CreditKind
from itmj_domain.services.credits import Credits
from itmj_http.portal.context import PortalContext
from itmj_http.portal.credit_pages import ledger_line
from itmj_http.portal.guards import employer_user
from itmj_http.portal.middleware import PortalResource
from itmj_http.portal.pages import Pages


@employer_user
class Overview(PortalResource):
    def __init__(self, credits: Credits, pages: Pages) -> None:
        self._credits = credits
        self._pages = pages

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        portal: PortalContext = req.context.portal
        assert portal.user is not None
        overview = self._credits.overview(portal.user.employer_id)
        balance = overview.balance
        self._pages.render(
            req, resp, "employer/overview.html",
            balances=[(kind, balance.available(kind), kind in balance.unlimited)
                      for kind in CreditKind],
            contracts=overview.contracts,
            entries=[ledger_line(entry) for entry in overview.recent],
        )
