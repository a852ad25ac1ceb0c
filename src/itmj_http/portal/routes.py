"""The portal's routes, added to the app by ``mount``."""

from pathlib import Path

import falcon

from itmj_adapters.composition import Services
from itmj_http.portal import account_resources as account
from itmj_http.portal import employer_routes, public_job_pages
from itmj_http.portal.demo_mail import DEMO_MAIL_PATH, DemoMail
from itmj_http.portal.email_links import EmailLinks
from itmj_http.portal.employer_resources import Overview
from itmj_http.portal.favicon import FAVICON_PATH, Favicon
from itmj_http.portal.key_resources import KEYS_PATH, KeyCreated, Keys, RevokeKey
from itmj_http.portal.middleware import PortalMiddleware, PortalResource
from itmj_http.portal.pages import Pages
from itmj_http.portal.platform_resources import ConsoleHome
from itmj_http.portal.review_resources import REVIEWS_PATH, KeyDecision, KeyReviews

STATIC_PREFIX = "/static/portal"


class Redirect(PortalResource):
    def __init__(self, to: str) -> None:
        self._to = to

    def on_get(self, _req: falcon.Request, _resp: falcon.Response) -> None:
        raise falcon.HTTPMovedPermanently(self._to)


def middleware(services: Services, pages: Pages) -> PortalMiddleware:
    return PortalMiddleware(services, pages)


def mount(app: falcon.App, services: Services, pages: Pages) -> None:
    accounts = services.portal_accounts
    app.add_route("/", account.Home())
    app.add_route("/account/signup", account.SignUp(accounts, pages))
    app.add_route("/account/signin", account.SignIn(accounts, pages))
    app.add_route("/account/signout", account.SignOut())
    app.add_route(
        "/account/password/forgot",
        account.ForgotPassword(accounts, pages, EmailLinks.of(services.settings)),
    )
    app.add_route(account.RESET_PAGE, account.ResetPassword(accounts, pages))
    app.add_route("/employer", Redirect("/employer/"))
    app.add_route("/employer/", Overview(services.credits, pages))
    app.add_route("/platform", Redirect("/platform/"))
    app.add_route("/platform/", ConsoleHome(services.accounts, pages))
    app.add_route("/platform/signin", account.SignIn(accounts, pages, staff=True))
    app.add_route(KEYS_PATH, Keys(services.accounts, services.clock, pages))
    app.add_route(f"{KEYS_PATH}/{{key_id:int}}/created",
                  KeyCreated(services.accounts, services.clock, pages))
    app.add_route(f"{KEYS_PATH}/{{key_id:int}}/revoke", RevokeKey(services.accounts, pages))
    app.add_route(REVIEWS_PATH, KeyReviews(services.accounts, pages))
    app.add_route(f"{REVIEWS_PATH}/{{key_id:int}}/approve",
                  KeyDecision(services.accounts, approve=True))
    app.add_route(f"{REVIEWS_PATH}/{{key_id:int}}/reject",
                  KeyDecision(services.accounts, approve=False))
    if services.settings.demo:
        app.add_route(DEMO_MAIL_PATH, DemoMail(services.notifier, pages))
    app.add_route(FAVICON_PATH, Favicon())
    app.add_static_route(STATIC_PREFIX, Path(__file__).parent / "static")
    employer_routes.mount(app, services, pages)
    public_job_pages.mount(app, services.job_board, pages)
