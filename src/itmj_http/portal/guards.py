"""Who may open a page: decorators for resources and responders.

    @employer_user       any signed-in user of an employer (admins and recruiters)
    @employer_admin      an EmployerAdmin only (keys, webhooks, team, billing)
    @staff_member        platform staff only (the console)

Nobody signed in is sent to the matching sign-in page and comes back afterwards; someone
signed in without the right role gets the 403 page saying why.
"""

import re
from urllib.parse import unquote, urlencode

import falcon

from itmj_http.portal.context import PortalContext


class PortalForbidden(falcon.HTTPForbidden):
    """A 403 rendered as the portal's error page, with ``description`` as the reason."""


def _context(req: falcon.Request) -> PortalContext:
    return req.context.portal


def _sign_in_first(req: falcon.Request, sign_in_path: str) -> falcon.HTTPSeeOther:
    return falcon.HTTPSeeOther(f"{sign_in_path}?{urlencode({'next': req.relative_uri})}")


def require_employer_user(req: falcon.Request, _resp: falcon.Response, _resource: object,
                          _params: dict) -> None:
    portal = _context(req)
    if portal.user is not None:
        return
    if portal.staff is not None:
        raise PortalForbidden(description="This page belongs to employer accounts; you are "
                              "signed in as platform staff.")
    raise _sign_in_first(req, "/account/signin")


def require_employer_admin(req: falcon.Request, resp: falcon.Response, resource: object,
                           params: dict) -> None:
    require_employer_user(req, resp, resource, params)
    if not _context(req).is_admin:
        raise PortalForbidden(description="Only an employer admin can open this page. Ask "
                              "an admin of your company if you need something here.")


def require_staff(req: falcon.Request, _resp: falcon.Response, _resource: object,
                  _params: dict) -> None:
    portal = _context(req)
    if portal.staff is not None:
        return
    if portal.user is not None:
        raise PortalForbidden(description="The platform console is for ITManagerJobs staff "
                              "only.")
    raise _sign_in_first(req, "/platform/signin")


employer_user = falcon.before(require_employer_user)
employer_admin = falcon.before(require_employer_admin)
staff_member = falcon.before(require_staff)


# A path on this site: "/", then not "/" or "\" ("//host" is another site, and browsers
# read "\" as "/"), in printable ASCII without "\": no scheme, no space, no control
# character to break the Location header.
_LOCAL_PATH = re.compile(r"/(?!/)[!-\[\]-~]*")
# The same path once percent-decoded, as a server or browser further on might read it.
_UNSAFE_DECODED = re.compile(r"\A/[/\\]|[\x00-\x1f\x7f-\x9f\\]")


def safe_next(target: str, default: str) -> str:
    """Where to go after signing in: ``target`` when it is a path on this site, else
    ``default``. An open redirect would lend our sign-in page to phishing, and a CR or LF
    reaching the Location header would fail the response."""
    if _LOCAL_PATH.fullmatch(target) and not _UNSAFE_DECODED.search(unquote(target)):
        return target
    return default
