"""``itmj staff add``: a platform staff member, who sets a password through a link."""

import argparse

from itmj_adapters.composition import Services
from itmj_adapters.extras import requires
from itmj_adapters.settings import Settings
from itmj_cli import views
from itmj_cli.verbs import Verb, add_verbs, arg
from itmj_domain import password_resets

DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"


def _add(built: Services, args: argparse.Namespace) -> object:
    member, token = built.portal_accounts.add_staff(args.email)
    return {
        "id": member.id,
        "email": member.email,
        "createdAt": views.timestamp(member.created_at),
        "setPasswordUrl": set_password_url(built.settings, token),
        "setPasswordUrlExpiresAt": views.timestamp(
            member.created_at + password_resets.STAFF_SETUP_VALID_FOR
        ),
    }


VERBS = (
    Verb("add", "add a staff member; prints the single-use link that sets their password",
         (arg("--email", required=True),), _add),
)


def register(commands: argparse._SubParsersAction) -> None:
    staff = commands.add_parser("staff", help="platform staff (the console at /platform/)")
    add_verbs(staff.add_subparsers(dest="action", required=True), VERBS)


def set_password_url(settings: Settings, token: str) -> str:
    with requires("http"):
        from itmj_http.portal.account_resources import RESET_PAGE
    base = settings.public_url or DEFAULT_PUBLIC_URL
    return password_resets.link(f"{base}{RESET_PAGE}", token)
