"""``itmj credits grant|balance`` and ``itmj contract add``."""

import argparse

from itmj_adapters.settings import Settings
from itmj_cli import services, views
from itmj_cli.arguments import enum_member, enum_members, identifier, utc_datetime
from itmj_cli.output import print_json
from itmj_domain.credits import CreditKind


def register(commands: argparse._SubParsersAction) -> None:
    credits = commands.add_parser("credits", help="credit bundles and balances")
    actions = credits.add_subparsers(dest="action", required=True)

    grant = actions.add_parser("grant", help="grant a bundle of credits of one kind")
    grant.add_argument("--employer", type=identifier, required=True)
    grant.add_argument("--kind", type=enum_member(CreditKind), required=True)
    grant.add_argument("--amount", type=int, required=True)
    grant.set_defaults(run=grant_credits)

    balance = actions.add_parser("balance", help="credits left per kind")
    balance.add_argument("--employer", type=identifier, required=True)
    balance.set_defaults(run=show_balance)

    contract = commands.add_parser("contract", help="contracts: unlimited kinds for a window")
    contract_actions = contract.add_subparsers(dest="action", required=True)
    add = contract_actions.add_parser("add", help="add a contract")
    add.add_argument("--employer", type=identifier, required=True)
    add.add_argument(
        "--kinds", type=enum_members(CreditKind), required=True,
        help="comma-separated, e.g. JobPosting,CvSearch",
    )
    add.add_argument("--from", type=utc_datetime, required=True, dest="valid_from")
    add.add_argument("--until", type=utc_datetime, required=True, dest="valid_until")
    add.set_defaults(run=add_contract)


def grant_credits(args: argparse.Namespace, settings: Settings) -> None:
    with services.opened(settings) as built:
        entry = built.credits.grant(args.employer, args.kind, args.amount)
        balance = built.credits.balance(args.employer)
    print_json(views.ledger_entry(entry) | {"balance": balance.available(entry.kind)})


def show_balance(args: argparse.Namespace, settings: Settings) -> None:
    with services.opened(settings) as built:
        print_json(views.balance(built.credits.balance(args.employer)))


def add_contract(args: argparse.Namespace, settings: Settings) -> None:
    with services.opened(settings) as built:
        contract = built.credits.add_contract(
            args.employer, args.kinds, args.valid_from, args.valid_until
        )
    print_json(views.contract(contract))
