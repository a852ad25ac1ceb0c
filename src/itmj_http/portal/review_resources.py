"""The console's key review queue (``/platform/keys``, staff only): approve or reject the
keys waiting for review. Approving emails the admin who minted the key."""

import falcon

from itmj_domain.errors import InvalidState, NotFound
from itmj_domain.services.accounts import Accounts
from itmj_domain.sessions import FlashLevel
from itmj_http.portal.guards import staff_member
from itmj_http.portal.key_resources import scope_list
from itmj_http.portal.middleware import PortalResource
from itmj_http.portal.pages import Pages

REVIEWS_PATH = "/platform/keys"


@staff_member
class KeyReviews(PortalResource):
    def __init__(self, accounts: Accounts, pages: Pages) -> None:
        self._accounts = accounts
        self._pages = pages

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        pending = [
            {"key": item.key, "employer": item.employer, "created_by": item.created_by,
             "scopes": scope_list(item.key.scopes)}
            for item in self._accounts.pending_keys()
        ]
        self._pages.render(req, resp, "platform/keys.html", pending=pending)


@staff_member
class KeyDecision(PortalResource):
    """``approve`` or ``reject`` one key."""

    def __init__(self, accounts: Accounts, approve: bool) -> None:
        self._accounts = accounts
        self._approve = approve

    def on_post(self, req: falcon.Request, _resp: falcon.Response, key_id: int) -> None:
        portal = req.context.portal
        decide = self._accounts.approve_key if self._approve else self._accounts.reject_key
        try:
            key = decide(key_id)
        except NotFound:
            raise falcon.HTTPNotFound() from None
        except InvalidState as error:
            portal.flash(FlashLevel.ERROR, f"Nothing changed: {error.message}.")
        else:
            if self._approve:
                portal.flash(FlashLevel.SUCCESS, f"Approved “{key.name}” "
                             f"({key.display_prefix}…); its admin has been emailed.")
            else:
                portal.flash(FlashLevel.SUCCESS, f"Rejected “{key.name}” "
                             f"({key.display_prefix}…).")
        raise falcon.HTTPSeeOther(REVIEWS_PATH)
