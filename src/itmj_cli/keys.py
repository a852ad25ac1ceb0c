"""``itmj key …``: mint, approve, reject, revoke and list API keys."""

import argparse

from itmj_adapters.settings import Settings
from itmj_cli import services, views
from itmj_cli.arguments import enum_member, identifier, utc_datetime
from itmj_cli.output import print_json
from itmj_domain.api_keys import Scope


def register(commands: argparse._SubParsersAction) -> None:
    key = commands.add_parser("key", help="API keys")
    actions = key.add_subparsers(dest="action", required=True)

    mint = actions.add_parser("mint", help="mint a key; the only time it is ever shown")
    mint.add_argument("--employer", type=identifier, required=True)
    mint.add_argument("--name", required=True)
    mint.add_argument(
        "--scope", type=enum_member(Scope), action="append", required=True, dest="scopes",
        help="JobPosting or CvSearch; repeat for both",
    )
    mint.add_argument("--expires", type=utc_datetime, help="ISO 8601; a date means midnight UTC")
    mint.set_defaults(run=mint_key)

    for name, run in (("approve", approve_key), ("reject", reject_key), ("revoke", revoke_key)):
        change = actions.add_parser(name, help=f"{name} a key")
        change.add_argument("id", type=identifier)
        change.set_defaults(run=run)

    listing = actions.add_parser("list", help="an employer's keys (never the keys themselves)")
    listing.add_argument("--employer", type=identifier, required=True)
    listing.set_defaults(run=list_keys)


def mint_key(args: argparse.Namespace, settings: Settings) -> None:
    with services.opened(settings) as built:
        minted = built.accounts.mint_key(
            args.employer, args.name, frozenset(args.scopes), expires_at=args.expires
        )
    print_json({"id": minted.key.id, "key": minted.plaintext, "status": minted.key.status.value})


def approve_key(args: argparse.Namespace, settings: Settings) -> None:
    with services.opened(settings) as built:
        print_json(views.api_key(built.accounts.approve_key(args.id)))


def reject_key(args: argparse.Namespace, settings: Settings) -> None:
    with services.opened(settings) as built:
        print_json(views.api_key(built.accounts.reject_key(args.id)))


def revoke_key(args: argparse.Namespace, settings: Settings) -> None:
    with services.opened(settings) as built:
        print_json(views.api_key(built.accounts.revoke_key(args.id)))


def list_keys(args: argparse.Namespace, settings: Settings) -> None:
    with services.opened(settings) as built:
        keys = built.accounts.list_keys(args.employer)
    print_json([views.api_key(key) for key in keys])
