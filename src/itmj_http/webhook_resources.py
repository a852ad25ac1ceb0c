"""The Webhooks API (scope Webhooks, SPEC §12): the portal's webhook page by API.

Every operation calls the same ``Webhooks`` service the portal and the ``itmj`` command call,
with the key's employer: the target rules of SPEC §11 apply alike, and a subscription or a
delivery of another employer is 404, the same answer as one that does not exist. The
``/api/v1/credits`` family's rate limit covers these routes (``self-service``).
"""

import re

import falcon

from itmj_domain.api_keys import Scope
from itmj_domain.pagination import MAX_PAGE_SIZE, PageRequest
from itmj_domain.rate_limits import LimitedFamily
from itmj_domain.services.webhooks import Webhooks
from itmj_domain.webhooks.deliveries import DeliveryStatus
from itmj_http.auth import employer_id
from itmj_http.params import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE,
    enum_param,
    int_param,
    no_params,
    only_params,
    path_id,
)
from itmj_http.request_body import json_object, required_object
from itmj_http.responses import send_json
from itmj_http.webhook_json import WebhookJson

WEBHOOKS_PATH = "/api/v1/webhooks"
SUBSCRIPTIONS_PATH = f"{WEBHOOKS_PATH}/subscriptions"
DELIVERIES_PATH = f"{WEBHOOKS_PATH}/deliveries"
EVENT_TYPES_PATH = f"{WEBHOOKS_PATH}/event-types"
# Wider than the ids the platform makes (dlv_ and 32 hex digits), so that a well-formed id
# of another shape is not found rather than refused.
_LOG_PARAMS = frozenset({"page", "pageSize", "status"})
_DELIVERY_ID = re.compile(r"[A-Za-z0-9_-]{1,100}", re.ASCII)


class _WebhooksResource:
    scope = Scope.WEBHOOKS
    rate_limited = LimitedFamily.SELF_SERVICE

    def __init__(self, webhooks: Webhooks, shapes: WebhookJson) -> None:
        self._webhooks = webhooks
        self._shapes = shapes


class SubscriptionsResource(_WebhooksResource):
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        no_params(req)
        send_json(resp, self._shapes.subscriptions(self._webhooks.list(employer_id(req))))

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        """Not idempotent by key: the answer holds the secret, which is kept nowhere to be
        answered again. A client unsure whether a creation went through lists first."""
        no_params(req)
        body = self._shapes.subscription_request(required_object(req))
        created = self._webhooks.subscribe(employer_id(req), body.url, body.events)
        send_json(resp, self._shapes.created(created), 201)
        resp.set_header("Location", f"{SUBSCRIPTIONS_PATH}/{created.subscription.id}")


class SubscriptionResource(_WebhooksResource):
    def on_get(self, req: falcon.Request, resp: falcon.Response, subscription_id: str) -> None:
        target = _subscription_id(subscription_id)
        no_params(req)
        send_json(resp, self._shapes.subscription(
            self._webhooks.get(target, employer_id(req))
        ))

    def on_put(self, req: falcon.Request, resp: falcon.Response, subscription_id: str) -> None:
        target = _subscription_id(subscription_id)
        no_params(req)
        changes = self._shapes.changes(required_object(req))
        changed = self._webhooks.update(
            target, employer_id(req), url=changes.url, events=changes.events
        )
        send_json(resp, self._shapes.subscription(changed))

    def on_delete(self, req: falcon.Request, resp: falcon.Response, subscription_id: str) -> None:
        """Its deliveries go with it, held ones included."""
        target = _subscription_id(subscription_id)
        no_params(req)
        self._webhooks.delete(target, employer_id(req))
        resp.status = falcon.HTTP_204


class EnableResource(_WebhooksResource):
    def on_post(self, req: falcon.Request, resp: falcon.Response, subscription_id: str) -> None:
        """Deliveries held while it was off go out, oldest first."""
        target = _action(req, subscription_id)
        send_json(resp, self._shapes.subscription(
            self._webhooks.enable(target, employer_id(req))
        ))


class DisableResource(_WebhooksResource):
    def on_post(self, req: falcon.Request, resp: falcon.Response, subscription_id: str) -> None:
        target = _action(req, subscription_id)
        send_json(resp, self._shapes.subscription(
            self._webhooks.disable(target, employer_id(req))
        ))


class RotateSecretResource(_WebhooksResource):
    def on_post(self, req: falcon.Request, resp: falcon.Response, subscription_id: str) -> None:
        target = _action(req, subscription_id)
        send_json(resp, self._shapes.created(
            self._webhooks.rotate_secret(target, employer_id(req))
        ))


class SendTestResource(_WebhooksResource):
    def on_post(self, req: falcon.Request, resp: falcon.Response, subscription_id: str) -> None:
        target = _action(req, subscription_id)
        send_json(resp, self._shapes.delivery(
            self._webhooks.send_test(target, employer_id(req))
        ), 202)


class DeliveriesResource(_WebhooksResource):
    def on_get(self, req: falcon.Request, resp: falcon.Response, subscription_id: str) -> None:
        target = _subscription_id(subscription_id)
        only_params(req, _LOG_PARAMS)
        page = PageRequest(int_param(req, "page", 1, MAX_PAGE),
                           int_param(req, "pageSize", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE))
        status = enum_param(req, "status", DeliveryStatus)
        send_json(resp, self._shapes.delivery_log(
            self._webhooks.delivery_log(target, status, page, employer_id(req))
        ))


class RedeliverResource(_WebhooksResource):
    def on_post(self, req: falcon.Request, resp: falcon.Response, delivery_id: str) -> None:
        """From the first attempt again, with the same id (the receiver's de-duplication
        key): a receiver that already handled it drops it."""
        if not _DELIVERY_ID.fullmatch(delivery_id):
            raise falcon.HTTPBadRequest(
                description="deliveryId: expected the id of a delivery, like dlv_3f6c…"
            )
        no_params(req)
        _no_body(req)
        send_json(resp, self._shapes.delivery(
            self._webhooks.redeliver(delivery_id, employer_id(req))
        ), 202)


class EventTypesResource(_WebhooksResource):
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        no_params(req)
        send_json(resp, self._shapes.event_types())


def _subscription_id(raw: str) -> int:
    return path_id(raw, "subscriptionId")


def _action(req: falcon.Request, raw: str) -> int:
    """The subscription an action names; an action takes no query and no body."""
    target = _subscription_id(raw)
    no_params(req)
    _no_body(req)
    return target


def _no_body(req: falcon.Request) -> None:
    if json_object(req) is not None:
        raise falcon.HTTPBadRequest(description="body: this operation takes no body")
