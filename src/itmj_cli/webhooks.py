"""``itmj webhook …``: subscriptions, their deliveries, and replaying dead letters."""

import argparse
from typing import Any

from itmj_adapters.settings import Settings
from itmj_cli import services, views
from itmj_cli.arguments import enum_member, identifier
from itmj_cli.output import print_json
from itmj_domain.pagination import MAX_PAGE_SIZE, PageRequest
from itmj_domain.webhooks.deliveries import DeliveryStatus
from itmj_domain.webhooks.subscriptions import EventType


def register(commands: argparse._SubParsersAction) -> None:
    webhook = commands.add_parser("webhook", help="webhook subscriptions and deliveries")
    actions = webhook.add_subparsers(dest="action", required=True)

    add = actions.add_parser("add", help="subscribe a URL; prints its secret, this once")
    add.add_argument("--employer", type=identifier, required=True)
    add.add_argument("--url", required=True)
    add.add_argument(
        "--event", type=enum_member(EventType), action="append", required=True, dest="events",
        help="application.submitted, application.status_changed or job.expired; repeatable",
    )
    add.set_defaults(run=add_subscription)

    listing = actions.add_parser("list", help="an employer's subscriptions (no secrets)")
    listing.add_argument("--employer", type=identifier, required=True)
    listing.set_defaults(run=list_subscriptions)

    for name, run, text in (
        ("enable", enable, "enable; deliveries held while disabled resume"),
        ("disable", disable, "disable; deliveries are held, not dropped"),
        ("delete", delete, "delete the subscription and its deliveries"),
        ("rotate-secret", rotate_secret, "issue a new secret; prints it, this once"),
    ):
        change = actions.add_parser(name, help=text)
        change.add_argument("id", type=identifier)
        change.set_defaults(run=run)

    deliveries = actions.add_parser("deliveries", help="a subscription's deliveries")
    deliveries.add_argument("--subscription", type=identifier, required=True)
    deliveries.add_argument("--status", type=enum_member(DeliveryStatus))
    deliveries.set_defaults(run=list_deliveries)

    test = actions.add_parser("test", help="send a signed webhook.test event to a subscription")
    test.add_argument("id", type=identifier)
    test.set_defaults(run=send_test)

    redeliver = actions.add_parser("redeliver", help="replay a delivery, keeping its id")
    redeliver.add_argument("delivery_id")
    redeliver.set_defaults(run=redeliver_delivery)


def add_subscription(args: argparse.Namespace, settings: Settings) -> None:
    with services.opened(settings) as built:
        created = built.webhooks.subscribe(args.employer, args.url, frozenset(args.events))
    print_json({**views.subscription(created.subscription), "secret": created.secret})


def list_subscriptions(args: argparse.Namespace, settings: Settings) -> None:
    with services.opened(settings) as built:
        found = built.webhooks.list(args.employer)
    print_json([views.subscription(subscription) for subscription in found])


def enable(args: argparse.Namespace, settings: Settings) -> None:
    with services.opened(settings) as built:
        print_json(views.subscription(built.webhooks.enable(args.id)))


def disable(args: argparse.Namespace, settings: Settings) -> None:
    with services.opened(settings) as built:
        print_json(views.subscription(built.webhooks.disable(args.id)))


def delete(args: argparse.Namespace, settings: Settings) -> None:
    with services.opened(settings) as built:
        built.webhooks.delete(args.id)
    print_json({"id": args.id, "deleted": True})


def rotate_secret(args: argparse.Namespace, settings: Settings) -> None:
    with services.opened(settings) as built:
        rotated = built.webhooks.rotate_secret(args.id)
    print_json({**views.subscription(rotated.subscription), "secret": rotated.secret})


def list_deliveries(args: argparse.Namespace, settings: Settings) -> None:
    """Every delivery, oldest first, read page by page so none is left out."""
    listed: list[dict[str, Any]] = []
    with services.opened(settings) as built:
        page_number = 1
        while True:
            page = built.webhooks.deliveries(
                args.subscription, args.status, PageRequest(page_number, MAX_PAGE_SIZE)
            )
            listed.extend(views.delivery(delivery) for delivery in page.items)
            if page_number * MAX_PAGE_SIZE >= page.total:
                break
            page_number += 1
    print_json(listed)


def redeliver_delivery(args: argparse.Namespace, settings: Settings) -> None:
    with services.opened(settings) as built:
        print_json(views.delivery(built.webhooks.redeliver(args.delivery_id)))


def send_test(args: argparse.Namespace, settings: Settings) -> None:
    with services.opened(settings) as built:
        print_json(views.delivery(built.webhooks.send_test(args.id)))
