"""Sessions, CSRF and the headers of every portal page.

On the way in: the session named by the cookie is resumed (idle and absolute expiry on the
Clock port) and its principal looked up; a POST to a portal page is refused with a 403,
before its responder runs, unless its form carries the session's CSRF token. On the way
out: a changed session is saved and the cookie (HttpOnly, SameSite=Lax, Secure outside
development) set or cleared.
"""

import falcon

from itmj_adapters.composition import Services
from itmj_domain.principals import Principal, PrincipalKind
from itmj_http.portal.context import PortalContext
from itmj_http.portal.forms import read_form
from itmj_http.portal.guards import PortalForbidden
from itmj_http.portal.pages import Pages

PORTAL_PREFIXES = ("/account/", "/employer", "/platform", "/static/portal/", "/demo/", "/jobs")
# ``__Host-`` makes browsers refuse the cookie unless it is Secure, for this host only and
# for every path: nothing on a sibling domain or plain HTTP can plant a session id.
SECURE_COOKIE = "__Host-itmj_session"
PLAIN_COOKIE = "itmj_session"
STALE_FORM = ("This form has expired or did not come from this site. Go back, reload the "
              "page and try again.")
_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'; "
    "form-action 'self'; base-uri 'none'; object-src 'none'",
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
}


def is_portal_path(path: str) -> bool:
    return path == "/" or path.startswith(PORTAL_PREFIXES)


class PortalResource:
    """Base of the portal's resources: no API key is wanted (``scope`` None), and forms
    are checked for their CSRF token. A page that takes a file says how large it may be."""

    scope = None
    max_upload_bytes = 0


class PortalMiddleware:
    def __init__(self, services: Services, pages: Pages) -> None:
        self._services = services
        self._pages = pages
        self._secure = services.settings.secure_cookies
        self._cookie = SECURE_COOKIE if self._secure else PLAIN_COOKIE

    def process_request(self, req: falcon.Request, _resp: falcon.Response) -> None:
        if not is_portal_path(req.path):
            return
        sessions = self._services.portal_sessions
        values = req.get_cookie_values(self._cookie)
        session = sessions.resume(values[0] if values else None)
        portal = PortalContext(sessions, session, session,
                               self._services.portal_accounts.credential,
                               secure_cookies=self._secure)
        req.context.portal = portal
        req.context.render_error = self._pages.render_error
        if session is not None and session.principal is not None:
            self._identify(portal, session.principal)

    def process_resource(self, req: falcon.Request, _resp: falcon.Response, resource: object,
                         _params: dict) -> None:
        portal: PortalContext | None = req.context.get("portal")
        if portal is None or not isinstance(resource, PortalResource) or req.method != "POST":
            return
        portal.form = read_form(req, resource.max_upload_bytes)
        if portal.session is None or not portal.session.accepts(portal.form.get("csrf_token")):
            raise PortalForbidden(description=STALE_FORM)

    def process_response(self, req: falcon.Request, resp: falcon.Response, _resource: object,
                         _succeeded: bool) -> None:
        portal: PortalContext | None = req.context.get("portal")
        if portal is None:
            return
        resp.set_headers(_HEADERS)
        session = portal.session
        if session is None:
            if req.get_cookie_values(self._cookie):
                resp.unset_cookie(self._cookie, path="/")
            return
        if session != portal.loaded:
            self._services.portal_sessions.save(session)
        if portal.loaded is None or portal.loaded.id != session.id:
            resp.set_cookie(
                self._cookie, session.id, path="/", http_only=True, secure=self._secure,
                same_site="Lax",
            )

    def _identify(self, portal: PortalContext, principal: Principal) -> None:
        """Who the session belongs to, as stored now: someone removed, or whose password
        changed, since signing in is signed out."""
        assert portal.session is not None
        accounts = self._services.portal_accounts
        if principal.kind is PrincipalKind.STAFF:
            portal.staff = accounts.staff_member(principal.id)
            found = portal.staff is not None
        else:
            portal.user = accounts.user(principal.id)
            found = portal.user is not None
            if portal.user is not None:
                portal.employer = self._services.accounts.get_employer(portal.user.employer_id)
        if not found or accounts.credential(principal) != portal.session.credential:
            portal.sign_out()
