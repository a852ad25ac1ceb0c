"""The employer portal's overview: balances, contract cover and recent ledger entries."""

import falcon

from itmj_domain.credits import CreditKind
from itmj_domain.services.credits import Credits
from itmj_http.portal.context import PortalContext
from itmj_http.portal.guards import employer_user
from itmj_http.portal.middleware import PortalResource
from itmj_http.portal.pages import Pages

RECENT_ENTRIES = 10


@employer_user
class Overview(PortalResource):
    def __init__(self, credits: Credits, pages: Pages) -> None:
        self._credits = credits
        self._pages = pages

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        portal: PortalContext = req.context.portal
        assert portal.user is not None
        employer_id = portal.user.employer_id
        balance = self._credits.balance(employer_id)
        entries = list(self._credits.entries(employer_id))[-RECENT_ENTRIES:]
        self._pages.render(
            req, resp, "employer/overview.html",
            balances=[(kind, balance.credits.get(kind, 0), kind in balance.unlimited)
                      for kind in CreditKind],
            entries=list(reversed(entries)),
        )
