"""A secret shown once, after a redirect (post/redirect/get, so that reloading the page never
makes another): the form's answer splits it (``itmj_domain.handoffs``), keeps one half in the
session and gives the browser the other in a cookie that lives a few minutes, only for the
page's path, and is cleared when the page shows the secret."""

from datetime import UTC, datetime, timedelta

import falcon

from itmj_domain import handoffs
from itmj_http.portal.context import PortalContext

# ``__Secure-`` makes browsers refuse the cookie unless it came over HTTPS, Secure.
SECURE_COOKIE = "__Secure-itmj_once"
PLAIN_COOKIE = "itmj_once"
# Enough to follow a redirect on a slow connection; the session's half lasts no longer.
LIFETIME = timedelta(minutes=5)
_LONG_AGO = datetime(1970, 1, 1, tzinfo=UTC)


def _cookie(portal: PortalContext) -> str:
    return SECURE_COOKIE if portal.secure_cookies else PLAIN_COOKIE


def hand_off(req: falcon.Request, resp: falcon.Response, subject: str, secret: str,
             path: str) -> None:
    """Keep ``secret`` about ``subject`` for the next page under ``path``."""
    portal: PortalContext = req.context.portal
    split = handoffs.split(subject, secret)
    portal.hand_off(split.handoff)
    resp.set_cookie(
        _cookie(portal), split.pad, path=path, max_age=int(LIFETIME.total_seconds()),
        http_only=True, secure=portal.secure_cookies, same_site="Strict",
    )


def take(req: falcon.Request, resp: falcon.Response, subject: str, path: str) -> str | None:
    """The secret about ``subject``, once: None when it was shown already (a reload), its
    cookie is gone, or it is about something else."""
    portal: PortalContext = req.context.portal
    handoff = portal.take_handoff(subject)
    if handoff is None:
        return None
    name = _cookie(portal)
    pads = req.get_cookie_values(name)
    if not pads:
        return None
    # Cleared with the attributes it was set with: browsers ignore a ``__Secure-`` cookie
    # sent without Secure, even one that clears it.
    resp.set_cookie(name, "", path=path, expires=_LONG_AGO, http_only=True,
                    secure=portal.secure_cookies, same_site="Strict")
    return handoffs.join(handoff, pads[0])
