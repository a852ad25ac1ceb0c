"""Webhooks (``/employer/webhooks``): subscriptions, creating one, enable, disable, rotate the
secret, delete (after a confirmation), send a test event, and each subscription's delivery log
with redeliver. Admins only. A secret that creating or rotating issues is shown once, on the
page the form redirects to (``one_time``), so that reloading it neither shows the secret again
nor creates or rotates again."""

import hmac
from typing import NoReturn

import falcon

from itmj_domain.errors import InvalidInput, NotFound
from itmj_domain.pagination import PageRequest
from itmj_domain.services.webhooks import CreatedSubscription, Webhooks
from itmj_domain.sessions import FlashLevel
from itmj_domain.webhooks.deliveries import DeliveryStatus
from itmj_domain.webhooks.subscriptions import SUBSCRIBABLE, EventType
from itmj_http.portal import one_time
from itmj_http.portal.actions import act, page_number, sentence
from itmj_http.portal.context import PortalContext
from itmj_http.portal.guards import employer_admin
from itmj_http.portal.middleware import PortalResource
from itmj_http.portal.pages import Pages, paging

WEBHOOKS_PATH = "/employer/webhooks"
LOG_PAGE_SIZE = 25
EVENTS = sorted(SUBSCRIBABLE, key=lambda event: event.value)


def _employer_id(req: falcon.Request) -> int:
    portal: PortalContext = req.context.portal
    assert portal.user is not None
    return portal.user.employer_id


def _secret_page(subscription_id: int) -> str:
    return f"{WEBHOOKS_PATH}/{subscription_id}/secret"


def _secret_subject(subscription_id: int) -> str:
    return f"webhook-secret:{subscription_id}"


def _show_once(req: falcon.Request, resp: falcon.Response,
               issued: CreatedSubscription) -> NoReturn:
    page = _secret_page(issued.subscription.id)
    one_time.hand_off(req, resp, _secret_subject(issued.subscription.id), issued.secret, page)
    raise falcon.HTTPSeeOther(page)


def _events(values: list[str]) -> frozenset[EventType]:
    try:
        return frozenset(EventType(value) for value in values)
    except ValueError:
        raise InvalidInput("choose events from the list", field="events") from None


@employer_admin
class WebhooksPage(PortalResource):
    def __init__(self, webhooks: Webhooks, pages: Pages) -> None:
        self._webhooks = webhooks
        self._pages = pages

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        self._show(req, resp, values={"events": []}, errors={})

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        portal: PortalContext = req.context.portal
        url, events = portal.form.get("url").strip(), portal.form.all("events")
        values: dict[str, object] = {"url": url, "events": events}
        try:
            created = self._webhooks.subscribe(_employer_id(req), url, _events(events))
        except InvalidInput as refused:
            field = "events" if refused.field == "events" else "url"
            self._show(req, resp, values, {field: sentence(refused.message)}, status=400)
            return
        _show_once(req, resp, created)

    def _show(self, req: falcon.Request, resp: falcon.Response, values: dict[str, object],
              errors: dict[str, str], status: int = 200) -> None:
        self._pages.render(
            req, resp, "employer/webhooks.html", status=status,
            subscriptions=self._webhooks.list(_employer_id(req)), events=EVENTS,
            values=values, errors=errors,
        )


@employer_admin
class SubscriptionPage(PortalResource):
    """One subscription and its delivery log, optionally one status of it."""

    def __init__(self, webhooks: Webhooks, pages: Pages) -> None:
        self._webhooks = webhooks
        self._pages = pages

    def on_get(self, req: falcon.Request, resp: falcon.Response, subscription_id: int) -> None:
        employer_id = _employer_id(req)
        status_text = req.get_param("status") or ""
        status = next((s for s in DeliveryStatus if s.value == status_text), None)
        try:
            subscription = self._webhooks.get(subscription_id, employer_id)
            log = self._webhooks.delivery_log(
                subscription_id, status, PageRequest(page_number(req), LOG_PAGE_SIZE),
                employer_id,
            )
        except NotFound:
            raise falcon.HTTPNotFound() from None
        self._pages.render(
            req, resp, "employer/webhook.html", subscription=subscription, log=log.items,
            chosen=status, statuses=list(DeliveryStatus), **paging(log),
        )


@employer_admin
class SubscriptionAction(PortalResource):
    """The buttons of a subscription: enable, disable, test, delete, rotate. Deleting is asked
    first: GET of ``delete`` is the question (no script needed), its form the POST."""

    def __init__(self, webhooks: Webhooks, pages: Pages) -> None:
        self._webhooks = webhooks
        self._pages = pages

    def on_get(self, req: falcon.Request, resp: falcon.Response, subscription_id: int,
               action: str) -> None:
        if action != "delete":
            raise falcon.HTTPNotFound()
        try:
            subscription = self._webhooks.get(subscription_id, _employer_id(req))
        except NotFound:
            raise falcon.HTTPNotFound() from None
        self._pages.render(req, resp, "employer/webhook_delete.html",
                           subscription=subscription)

    def on_post(self, req: falcon.Request, resp: falcon.Response, subscription_id: int,
                action: str) -> None:
        employer_id = _employer_id(req)
        back = f"{WEBHOOKS_PATH}/{subscription_id}"
        webhooks = self._webhooks
        if action == "enable":
            act(req, back, lambda: webhooks.enable(subscription_id, employer_id),
                lambda _: "The subscription is enabled. Deliveries held while it was off "
                "are on their way.")
        if action == "disable":
            act(req, back, lambda: webhooks.disable(subscription_id, employer_id),
                lambda _: "The subscription is disabled. New events wait until you enable "
                "it again.")
        if action == "test":
            act(req, back, lambda: webhooks.send_test(subscription_id, employer_id),
                lambda delivery: f"A webhook.test event is sent (delivery {delivery.id}). "
                "Its outcome is in the log below.")
        if action == "delete":
            act(req, WEBHOOKS_PATH, lambda: webhooks.delete(subscription_id, employer_id),
                lambda _: "The subscription and its deliveries are deleted.")
        if action == "rotate":
            try:
                rotated = webhooks.rotate_secret(subscription_id, employer_id)
            except NotFound:
                raise falcon.HTTPNotFound() from None
            except InvalidInput as refused:
                req.context.portal.flash(FlashLevel.ERROR, sentence(refused.message))
                raise falcon.HTTPSeeOther(back) from None
            _show_once(req, resp, rotated)
        raise falcon.HTTPNotFound()


@employer_admin
class SecretShown(PortalResource):
    """The secret that creating the subscription or rotating its secret issued, shown once;
    a reload goes to the subscription and says why."""

    def __init__(self, webhooks: Webhooks, pages: Pages) -> None:
        self._webhooks = webhooks
        self._pages = pages

    def on_get(self, req: falcon.Request, resp: falcon.Response, subscription_id: int) -> None:
        try:
            subscription = self._webhooks.get(subscription_id, _employer_id(req))
        except NotFound:
            raise falcon.HTTPNotFound() from None
        secret = one_time.take(req, resp, _secret_subject(subscription_id),
                               _secret_page(subscription_id))
        # A pad that is not the other half joins to noise, and a secret rotated again since
        # signs nothing: neither is shown as the subscription's secret.
        if secret is None or not hmac.compare_digest(secret.encode(),
                                                     subscription.secret.encode()):
            req.context.portal.flash(
                FlashLevel.WARNING,
                "The signing secret was shown once, when it was issued, and cannot be shown "
                "again. If it was not copied, rotate the secret to get a new one.",
            )
            raise falcon.HTTPSeeOther(f"{WEBHOOKS_PATH}/{subscription_id}")
        self._pages.render(req, resp, "employer/webhook_secret.html",
                           subscription=subscription, secret=secret,
                           rotated=subscription.previous_secret is not None)


@employer_admin
class Redeliver(PortalResource):
    def __init__(self, webhooks: Webhooks) -> None:
        self._webhooks = webhooks

    def on_post(self, req: falcon.Request, _resp: falcon.Response, subscription_id: int,
                delivery_id: str) -> None:
        employer_id = _employer_id(req)
        act(req, f"{WEBHOOKS_PATH}/{subscription_id}",
            lambda: self._webhooks.redeliver(delivery_id, employer_id),
            lambda delivery: f"Delivery {delivery.id} is sent again, with the same id.")


