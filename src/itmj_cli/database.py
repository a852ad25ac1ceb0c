"""``itmj db migrate``: apply the PostgreSQL schema migrations not yet applied."""

import argparse

from itmj_adapters.extras import requires
from itmj_adapters.settings import Settings
from itmj_cli.output import CommandError, print_json


def register(commands: argparse._SubParsersAction) -> None:
    database = commands.add_parser("db", help="the PostgreSQL database")
    actions = database.add_subparsers(dest="action", required=True)
    migrate = actions.add_parser("migrate", help="apply pending schema migrations")
    migrate.set_defaults(run=migrate_database)


def migrate_database(_args: argparse.Namespace, settings: Settings) -> None:
    if not settings.database_url:
        raise CommandError(
            "ITMJ_DATABASE_URL is not set: migrations apply to a PostgreSQL database"
        )
    with requires("postgres"):
        from itmj_adapters.postgres.migrations import migrate

    print_json({"applied": list(migrate(settings.database_url))})
