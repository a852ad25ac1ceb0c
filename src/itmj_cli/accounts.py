"""``itmj employer create`` and ``itmj user add``."""

import argparse

from itmj_adapters.settings import Settings
from itmj_cli import services, views
from itmj_cli.arguments import enum_member, identifier
from itmj_cli.output import print_json
from itmj_domain.accounts import Role


def register(commands: argparse._SubParsersAction) -> None:
    employer = commands.add_parser("employer", help="employers (tenants)")
    employer_commands = employer.add_subparsers(dest="action", required=True)
    create = employer_commands.add_parser("create", help="create an employer")
    create.add_argument("--name", required=True)
    create.add_argument("--trusted", action="store_true", help="a trusted partner")
    create.set_defaults(run=create_employer)

    user = commands.add_parser("user", help="an employer's users")
    user_commands = user.add_subparsers(dest="action", required=True)
    add = user_commands.add_parser("add", help="add a user to an employer")
    add.add_argument("--employer", type=identifier, required=True)
    add.add_argument("--email", required=True)
    add.add_argument("--role", type=enum_member(Role), required=True)
    add.set_defaults(run=add_user)


def create_employer(args: argparse.Namespace, settings: Settings) -> None:
    with services.opened(settings) as built:
        employer = built.accounts.create_employer(args.name, trusted_partner=args.trusted)
    print_json({"id": employer.id})


def add_user(args: argparse.Namespace, settings: Settings) -> None:
    with services.opened(settings) as built:
        user = built.accounts.add_user(args.employer, args.email, args.role)
    print_json(views.user(user))
