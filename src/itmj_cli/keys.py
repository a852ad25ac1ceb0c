"""``itmj key …``: mint, approve, reject, revoke and list API keys."""

import argparse

from itmj_adapters.composition import Services
from itmj_cli import views
from itmj_cli.arguments import enum_member, identifier, utc_datetime
from itmj_cli.verbs import Verb, add_verbs, arg
from itmj_domain.api_keys import Scope

_ID = arg("id", type=identifier)
_EMPLOYER = arg("--employer", type=identifier, required=True)


def _mint(built: Services, args: argparse.Namespace) -> object:
    minted = built.accounts.mint_key(
        args.employer, args.name, frozenset(args.scopes), expires_at=args.expires
    )
    return {"id": minted.key.id, "key": minted.plaintext, "status": minted.key.status.value}


VERBS = (
    Verb("mint", "mint a key; the only time it is ever shown", (
        _EMPLOYER,
        arg("--name", required=True),
        arg("--scope", type=enum_member(Scope), action="append", required=True, dest="scopes",
            help="JobPosting, CvSearch or Webhooks; repeatable"),
        arg("--expires", type=utc_datetime, help="ISO 8601; a date means midnight UTC"),
    ), _mint),
    Verb("approve", "approve a key", (_ID,),
         lambda built, args: views.api_key(built.accounts.approve_key(args.id))),
    Verb("reject", "reject a key", (_ID,),
         lambda built, args: views.api_key(built.accounts.reject_key(args.id))),
    Verb("revoke", "revoke a key", (_ID,),
         lambda built, args: views.api_key(built.accounts.revoke_key(args.id))),
    Verb("list", "an employer's keys (never the keys themselves)", (_EMPLOYER,),
         lambda built, args: [views.api_key(k) for k in built.accounts.list_keys(args.employer)]),
)


def register(commands: argparse._SubParsersAction) -> None:
    key = commands.add_parser("key", help="API keys")
    add_verbs(key.add_subparsers(dest="action", required=True), VERBS)
