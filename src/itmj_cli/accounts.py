"""``itmj employer create`` and ``itmj user add``."""

import argparse

from itmj_cli import views
from itmj_cli.arguments import enum_member, identifier
from itmj_cli.verbs import Verb, add_verbs, arg
from itmj_domain.accounts import Role

EMPLOYER_VERBS = (
    Verb("create", "create an employer", (
        arg("--name", required=True),
        arg("--trusted", action="store_true", help="a trusted partner"),
    ), lambda built, args: {
        "id": built.accounts.create_employer(args.name, trusted_partner=args.trusted).id
    }),
)
USER_VERBS = (
    Verb("add", "add a user to an employer", (
        arg("--employer", type=identifier, required=True),
        arg("--email", required=True),
        arg("--role", type=enum_member(Role), required=True),
    ), lambda built, args: views.user(built.accounts.add_user(args.employer, args.email,
                                                               args.role))),
)


def register(commands: argparse._SubParsersAction) -> None:
    employer = commands.add_parser("employer", help="employers (tenants)")
    add_verbs(employer.add_subparsers(dest="action", required=True), EMPLOYER_VERBS)
    user = commands.add_parser("user", help="an employer's users")
    add_verbs(user.add_subparsers(dest="action", required=True), USER_VERBS)
