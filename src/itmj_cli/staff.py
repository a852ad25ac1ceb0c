"""``itmj staff add``: a platform staff member, who sets a password through a link."""

import argparse

from itmj_adapters.settings import Settings
from itmj_cli import services, views
from itmj_cli.output import print_json
from itmj_domain import password_resets
from itmj_http.portal.account_resources import RESET_PAGE

DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"


def register(commands: argparse._SubParsersAction) -> None:
    staff = commands.add_parser("staff", help="platform staff (the console at /platform/)")
    actions = staff.add_subparsers(dest="action", required=True)
    add = actions.add_parser(
        "add", help="add a staff member; prints the single-use link that sets their password"
    )
    add.add_argument("--email", required=True)
    add.set_defaults(run=add_staff)


def add_staff(args: argparse.Namespace, settings: Settings) -> None:
    with services.opened(settings) as built:
        member, token = built.portal_accounts.add_staff(args.email)
    print_json({
        "id": member.id,
        "email": member.email,
        "createdAt": views.timestamp(member.created_at),
        "setPasswordUrl": set_password_url(settings, token),
        "setPasswordUrlExpiresAt": views.timestamp(
            member.created_at + password_resets.STAFF_SETUP_VALID_FOR
        ),
    })


def set_password_url(settings: Settings, token: str) -> str:
    base = settings.public_url or DEFAULT_PUBLIC_URL
    return password_resets.link(f"{base}{RESET_PAGE}", token)
