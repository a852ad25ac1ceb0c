"""``itmj credits grant|balance`` and ``itmj contract add``."""

import argparse

from itmj_adapters.composition import Services
from itmj_cli import views
from itmj_cli.arguments import enum_member, enum_members, identifier, utc_datetime
from itmj_cli.verbs import Verb, add_verbs, arg
from itmj_domain.credits import CreditKind

_EMPLOYER = arg("--employer", type=identifier, required=True)


def _grant(built: Services, args: argparse.Namespace) -> object:
    entry = built.credits.grant(args.employer, args.kind, args.amount)
    balance = built.credits.balance(args.employer)
    return views.ledger_entry(entry) | {"balance": balance.available(entry.kind)}


CREDITS_VERBS = (
    Verb("grant", "grant a bundle of credits of one kind", (
        _EMPLOYER,
        arg("--kind", type=enum_member(CreditKind), required=True),
        arg("--amount", type=int, required=True),
    ), _grant),
    Verb("balance", "credits left per kind", (_EMPLOYER,),
         lambda built, args: views.balance(built.credits.balance(args.employer))),
)
CONTRACT_VERBS = (
    Verb("add", "add a contract", (
        _EMPLOYER,
        arg("--kinds", type=enum_members(CreditKind), required=True,
            help="comma-separated, e.g. JobPosting,CvSearch"),
        arg("--from", type=utc_datetime, required=True, dest="valid_from"),
        arg("--until", type=utc_datetime, required=True, dest="valid_until"),
    ), lambda built, args: views.contract(built.credits.add_contract(
        args.employer, args.kinds, args.valid_from, args.valid_until
    ))),
)


def register(commands: argparse._SubParsersAction) -> None:
    credits = commands.add_parser("credits", help="credit bundles and balances")
    add_verbs(credits.add_subparsers(dest="action", required=True), CREDITS_VERBS)
    contract = commands.add_parser("contract", help="contracts: unlimited kinds for a window")
    add_verbs(contract.add_subparsers(dest="action", required=True), CONTRACT_VERBS)
