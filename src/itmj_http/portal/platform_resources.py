"""The platform console's home."""

import falcon

from itmj_domain.services.accounts import Accounts
from itmj_http.portal.guards import staff_member
from itmj_http.portal.middleware import PortalResource
from itmj_http.portal.pages import Pages


@staff_member
class ConsoleHome(PortalResource):
    def __init__(self, accounts: Accounts, pages: Pages) -> None:
        self._accounts = accounts
        self._pages = pages

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        self._pages.render(req, resp, "platform/home.html",
                           pending=len(self._accounts.pending_keys()))
