"""``itmj webhook …``: subscriptions, their deliveries, and replaying dead letters."""

import argparse

from itmj_adapters.composition import Services
from itmj_cli import views
from itmj_cli.arguments import enum_member, identifier
from itmj_cli.verbs import Verb, add_verbs, arg
from itmj_domain.pagination import MAX_PAGE_SIZE, PageRequest
from itmj_domain.webhooks.deliveries import DeliveryStatus
from itmj_domain.webhooks.subscriptions import EventType

_ID = arg("id", type=identifier)
_EMPLOYER = arg("--employer", type=identifier, required=True)


def _subscribe(built: Services, args: argparse.Namespace) -> object:
    created = built.webhooks.subscribe(args.employer, args.url, frozenset(args.events))
    return {**views.subscription(created.subscription), "secret": created.secret}


def _delete(built: Services, args: argparse.Namespace) -> object:
    built.webhooks.delete(args.id)
    return {"id": args.id, "deleted": True}


def _rotate_secret(built: Services, args: argparse.Namespace) -> object:
    rotated = built.webhooks.rotate_secret(args.id)
    return {**views.subscription(rotated.subscription), "secret": rotated.secret}


def _deliveries(built: Services, args: argparse.Namespace) -> object:
    """Every delivery, oldest first, read page by page so none is left out."""
    listed: list[object] = []
    page_number = 1
    while True:
        page = built.webhooks.delivery_log(
            args.subscription, args.status, PageRequest(page_number, MAX_PAGE_SIZE)
        )
        # With the id of the request that caused each event: a partner's call, followed.
        listed.extend(
            {**views.delivery(line.delivery), "requestId": line.request_id}
            for line in page.items
        )
        if page_number * MAX_PAGE_SIZE >= page.total:
            return listed
        page_number += 1


VERBS = (
    Verb("add", "subscribe a URL; prints its secret, this once", (
        _EMPLOYER,
        arg("--url", required=True),
        arg("--event", type=enum_member(EventType), action="append", required=True,
            dest="events",
            help="application.submitted, application.status_changed or job.expired; "
            "repeatable"),
    ), _subscribe),
    Verb("list", "an employer's subscriptions (no secrets)", (_EMPLOYER,),
         lambda built, args: [views.subscription(s) for s in built.webhooks.list(args.employer)]),
    Verb("enable", "enable; deliveries held while disabled resume", (_ID,),
         lambda built, args: views.subscription(built.webhooks.enable(args.id))),
    Verb("disable", "disable; deliveries are held, not dropped", (_ID,),
         lambda built, args: views.subscription(built.webhooks.disable(args.id))),
    Verb("delete", "delete the subscription and its deliveries", (_ID,), _delete),
    Verb("rotate-secret", "issue a new secret; prints it, this once", (_ID,), _rotate_secret),
    Verb("deliveries", "a subscription's deliveries", (
        arg("--subscription", type=identifier, required=True),
        arg("--status", type=enum_member(DeliveryStatus)),
    ), _deliveries),
    Verb("test", "send a signed webhook.test event to a subscription", (_ID,),
         lambda built, args: views.delivery(built.webhooks.send_test(args.id))),
    Verb("redeliver", "replay a delivery, keeping its id", (arg("delivery_id"),),
         lambda built, args: views.delivery(built.webhooks.redeliver(args.delivery_id))),
)


def register(commands: argparse._SubParsersAction) -> None:
    webhook = commands.add_parser("webhook", help="webhook subscriptions and deliveries")
    add_verbs(webhook.add_subparsers(dest="action", required=True), VERBS)
