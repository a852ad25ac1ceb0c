"""Signing up, in and out, and setting a forgotten password: ``/account/...``."""

import falcon

from itmj_domain.errors import InvalidInput
from itmj_domain.principals import Principal, PrincipalKind
from itmj_domain.services.portal_accounts import PortalAccounts, TooManyAttempts
from itmj_domain.sessions import FlashLevel
from itmj_http.portal.context import PortalContext
from itmj_http.portal.email_links import EmailLinks
from itmj_http.portal.guards import safe_next
from itmj_http.portal.middleware import PortalResource
from itmj_http.portal.pages import Pages

EMPLOYER_HOME = "/employer/"
PLATFORM_HOME = "/platform/"
RESET_PAGE = "/account/password/reset"
WRONG_CREDENTIALS = "That email and password do not match an account."
_SIGN_UP_FIELDS = {"employer_name", "admin_name", "email", "password"}


def field_errors(error: InvalidInput, known: set[str], fallback: str) -> dict[str, str]:
    """The message under the form field it is about, or under ``fallback``."""
    field = error.field if error.field in known else fallback
    return {field: _sentence(error.message)}


def _sentence(message: str) -> str:
    return message[:1].upper() + message[1:] + ("" if message.endswith(".") else ".")


def _refused(resp: falcon.Response, refusal: TooManyAttempts) -> str:
    """Answer 429 with when to try again; returns what the page says."""
    resp.retry_after = refusal.retry_after_seconds
    return _sentence(refusal.message)


class SignUp(PortalResource):
    def __init__(self, accounts: PortalAccounts, pages: Pages) -> None:
        self._accounts = accounts
        self._pages = pages

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        self._pages.render(req, resp, "account/signup.html", values={}, errors={}, error=None)

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        portal: PortalContext = req.context.portal
        form = portal.form
        values = {name: form.get(name) for name in ("employer_name", "admin_name", "email")}
        try:
            signed_up = self._accounts.sign_up(
                values["employer_name"], values["admin_name"], values["email"],
                form.get("password"), req.remote_addr,
            )
        except InvalidInput as error:
            self._pages.render(
                req, resp, "account/signup.html", status=400, values=values,
                errors=field_errors(error, _SIGN_UP_FIELDS, "email"), error=None,
            )
            return
        except TooManyAttempts as refusal:
            self._pages.render(req, resp, "account/signup.html", status=429, values=values,
                               errors={}, error=_refused(resp, refusal))
            return
        portal.sign_in(Principal(PrincipalKind.USER, signed_up.admin.id))
        portal.flash(FlashLevel.SUCCESS, f"Welcome to ITManagerJobs, {signed_up.admin.name}. "
                     f"{signed_up.employer.name} is ready.")
        raise falcon.HTTPSeeOther(EMPLOYER_HOME)


class SignIn(PortalResource):
    """Employer users' sign-in; ``staff`` makes it the console's."""

    def __init__(self, accounts: PortalAccounts, pages: Pages, staff: bool = False) -> None:
        self._accounts = accounts
        self._pages = pages
        self._staff = staff
        self._home = PLATFORM_HOME if staff else EMPLOYER_HOME

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        self._show(req, resp, email="", error=None)

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        portal: PortalContext = req.context.portal
        email, password = portal.form.get("email"), portal.form.get("password")
        try:
            principal = self._check(email, password, req.remote_addr)
        except TooManyAttempts as refusal:
            self._show(req, resp, email=email, error=_refused(resp, refusal), status=429)
            return
        if principal is None:
            self._show(req, resp, email=email, error=WRONG_CREDENTIALS, status=400)
            return
        portal.sign_in(principal)
        raise falcon.HTTPSeeOther(safe_next(portal.form.get("next"), self._home))

    def _check(self, email: str, password: str, address: str) -> Principal | None:
        if self._staff:
            member = self._accounts.sign_in_staff(email, password, address)
            return None if member is None else Principal(PrincipalKind.STAFF, member.id)
        user = self._accounts.sign_in(email, password, address)
        return None if user is None else Principal(PrincipalKind.USER, user.id)

    def _show(self, req: falcon.Request, resp: falcon.Response, email: str,
              error: str | None, status: int = 200) -> None:
        next_path = req.get_param("next") or req.context.portal.form.get("next")
        self._pages.render(
            req, resp, "account/signin.html", status=status, staff=self._staff, email=email,
            error=error, next_path=safe_next(next_path or "", self._home),
        )


class SignOut(PortalResource):
    def on_post(self, req: falcon.Request, _resp: falcon.Response) -> None:
        portal: PortalContext = req.context.portal
        was_staff = portal.staff is not None
        portal.sign_out()
        portal.flash(FlashLevel.SUCCESS, "You are signed out.")
        raise falcon.HTTPSeeOther("/platform/signin" if was_staff else "/account/signin")


class ForgotPassword(PortalResource):
    def __init__(self, accounts: PortalAccounts, pages: Pages, links: EmailLinks) -> None:
        self._accounts = accounts
        self._pages = pages
        self._links = links

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        self._pages.render(req, resp, "account/forgot.html", email="", error=None)

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        portal: PortalContext = req.context.portal
        email = portal.form.get("email")
        # The mail is sent by a worker, which knows nothing of this request: the link's
        # page travels with the task.
        page_url = f"{self._links.base(req)}{RESET_PAGE}"
        try:
            self._accounts.request_password_reset(email, req.remote_addr, page_url)
        except InvalidInput as error:
            self._pages.render(req, resp, "account/forgot.html", status=400, email=email,
                               error=_sentence(error.message))
            return
        except TooManyAttempts as refusal:
            self._pages.render(req, resp, "account/forgot.html", status=429, email=email,
                               error=_refused(resp, refusal))
            return
        # The same answer whether or not the address has an account.
        portal.flash(FlashLevel.SUCCESS, "If that email belongs to an account, a link to "
                     "choose a new password is on its way. It works once, within an hour.")
        raise falcon.HTTPSeeOther("/account/signin")


class ResetPassword(PortalResource):
    def __init__(self, accounts: PortalAccounts, pages: Pages) -> None:
        self._accounts = accounts
        self._pages = pages

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        self._pages.render(req, resp, "account/reset.html", token=req.get_param("token") or "",
                           error=None)

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        portal: PortalContext = req.context.portal
        token = portal.form.get("token")
        try:
            principal = self._accounts.reset_password(
                token, portal.form.get("password"), req.remote_addr
            )
        except InvalidInput as error:
            self._pages.render(req, resp, "account/reset.html", status=400, token=token,
                               error=_sentence(error.message))
            return
        except TooManyAttempts as refusal:
            self._pages.render(req, resp, "account/reset.html", status=429, token=token,
                               error=_refused(resp, refusal))
            return
        portal.sign_out()
        portal.flash(FlashLevel.SUCCESS, "Your password is set. Sign in with it now.")
        staff = principal.kind is PrincipalKind.STAFF
        raise falcon.HTTPSeeOther("/platform/signin" if staff else "/account/signin")


class Home(PortalResource):
    def on_get(self, req: falcon.Request, _resp: falcon.Response) -> None:
        portal: PortalContext = req.context.portal
        raise falcon.HTTPSeeOther(PLATFORM_HOME if portal.staff is not None else EMPLOYER_HOME)
