"""The ``itmj`` entry point: parse the command line, run one command, map failures to one
line on stderr and an exit code (1: the command failed, 2: the command line is wrong)."""

import logging
import sys
from collections.abc import Mapping, Sequence

from itmj_adapters import request_context
from itmj_adapters.database_schema import DatabaseUnreachable, SchemaBehind
from itmj_adapters.extras import MissingExtra
from itmj_adapters.secret_box import SecretKeyError
from itmj_adapters.settings import SettingError, Settings, unknown_variables
from itmj_cli import (
    accounts,
    applications,
    background,
    candidates,
    credits,
    database,
    demo,
    keys,
    secret_keys,
    serve,
    staff,
    webhooks,
)
from itmj_cli.arguments import OneLineParser
from itmj_cli.output import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    CommandError,
    UsageError,
    print_error,
)
from itmj_domain.errors import DomainError

COMMAND_GROUPS = (
    database, serve, demo, accounts, staff, credits, keys, applications, webhooks, candidates,
    background, secret_keys,
)


def build_parser() -> OneLineParser:
    parser = OneLineParser(
        prog="itmj",
        description="Operate the ITManagerJobs partner platform. Configuration comes from "
        "ITMJ_DATABASE_URL (unset: in memory), ITMJ_REDIS_URL, ITMJ_ELASTICSEARCH_URL and "
        "ITMJ_SECRET_KEYS.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for group in COMMAND_GROUPS:
        group.register(commands)
    return parser


def main(argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        # A command reports its failure as one line; what a library logs on the way there (a
        # pool retrying a dead database, say) would only add more. A server opens its log
        # once it has started.
        logging.basicConfig(handlers=[logging.NullHandler()])
        for warning in unknown_variables(environ):
            print_error(warning)
        settings = Settings.from_environ(environ)
        # Like an HTTP request, a command has an id, which the events it writes record.
        with request_context.bound(f"cli_{request_context.new_request_id()}"):
            args.run(args, settings)
    except UsageError as error:
        print_error(str(error))
        return EXIT_USAGE
    except (
        DomainError, CommandError, SecretKeyError, MissingExtra, SchemaBehind, SettingError,
        DatabaseUnreachable,
    ) as error:
        print_error(f"itmj: {error}")
        return EXIT_FAILED
    except Exception as error:
        # The one-line contract holds for any failure: a driver's error is no exception.
        print_error(f"itmj: {type(error).__name__}: {error}")
        return EXIT_FAILED
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
