"""``itmj application …``: candidates apply, recruiters move applications along."""

import argparse

from itmj_adapters.settings import Settings
from itmj_cli import services, views
from itmj_cli.arguments import enum_member, identifier
from itmj_cli.output import print_json
from itmj_domain.applications import ApplicationStatus
from itmj_domain.jobs import ApplyMethod


def register(commands: argparse._SubParsersAction) -> None:
    application = commands.add_parser("application", help="applications to jobs")
    actions = application.add_subparsers(dest="action", required=True)

    submit = actions.add_parser("submit", help="a candidate applies to an Active job")
    submit.add_argument("--job", type=identifier, required=True)
    submit.add_argument("--candidate", type=identifier, required=True)
    submit.add_argument(
        "--type", type=enum_member(ApplyMethod), dest="application_type",
        help="EmailApply, UrlApply or PortalApply (default: the job's apply method)",
    )
    submit.set_defaults(run=submit_application)

    move = actions.add_parser("move", help="move an application along the pipeline")
    move.add_argument("id", type=identifier)
    move.add_argument("--status", type=enum_member(ApplicationStatus), required=True)
    move.set_defaults(run=move_application)


def submit_application(args: argparse.Namespace, settings: Settings) -> None:
    with services.opened(settings) as built:
        submitted = built.applications.submit(args.job, args.candidate, args.application_type)
    print_json(views.application(submitted))


def move_application(args: argparse.Namespace, settings: Settings) -> None:
    with services.opened(settings) as built:
        moved = built.applications.move(args.id, args.status)
    print_json(views.application(moved))
