"""``itmj application …``: candidates apply, recruiters move applications along."""

import argparse

from itmj_cli import views
from itmj_cli.arguments import enum_member, identifier
from itmj_cli.verbs import Verb, add_verbs, arg
from itmj_domain.applications import ApplicationStatus
from itmj_domain.jobs import ApplyMethod

VERBS = (
    Verb("submit", "a candidate applies to an Active job", (
        arg("--job", type=identifier, required=True),
        arg("--candidate", type=identifier, required=True),
        arg("--type", type=enum_member(ApplyMethod), dest="application_type",
            help="EmailApply, UrlApply or PortalApply (default: the job's apply method)"),
    ), lambda built, args: views.application(
        built.applications.submit(args.job, args.candidate, args.application_type)
    )),
    Verb("move", "move an application along the pipeline", (
        arg("id", type=identifier),
        arg("--status", type=enum_member(ApplicationStatus), required=True),
    ), lambda built, args: views.application(built.applications.move(args.id, args.status))),
)


def register(commands: argparse._SubParsersAction) -> None:
    application = commands.add_parser("application", help="applications to jobs")
    add_verbs(application.add_subparsers(dest="action", required=True), VERBS)
