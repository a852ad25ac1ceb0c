"""``itmj secrets new-key|reencrypt``: the keys webhook secrets are encrypted under at rest
(``ITMJ_SECRET_KEYS``, newest first)."""

import argparse

from itmj_adapters.extras import requires
from itmj_adapters.secret_box import KeyRing, SecretKeysMissing, key_id, new_key, parse_keys
from itmj_adapters.settings import Settings
from itmj_cli.output import CommandError, print_json


def register(commands: argparse._SubParsersAction) -> None:
    secrets = commands.add_parser(
        "secrets", help="the keys webhook secrets are encrypted under (ITMJ_SECRET_KEYS)"
    )
    actions = secrets.add_subparsers(dest="action", required=True)
    make = actions.add_parser("new-key", help="print a fresh key for ITMJ_SECRET_KEYS")
    make.set_defaults(run=print_new_key)
    reencrypt = actions.add_parser(
        "reencrypt", help="re-encrypt every stored secret under the newest key"
    )
    reencrypt.set_defaults(run=reencrypt_secrets)


def print_new_key(_args: argparse.Namespace, _settings: Settings) -> None:
    key = new_key()
    print_json({"key": key, "keyId": key_id(parse_keys(key)[0])})


def reencrypt_secrets(_args: argparse.Namespace, settings: Settings) -> None:
    if not settings.database_url:
        raise CommandError(
            "ITMJ_DATABASE_URL is not set: secrets are kept encrypted in a PostgreSQL database"
        )
    if not settings.secret_keys:
        raise SecretKeysMissing()
    with requires("postgres"):
        from itmj_adapters.postgres.secret_rotation import reencrypt_secrets

    done = reencrypt_secrets(settings.database_url, KeyRing(settings.secret_keys))
    print_json(
        {"keyId": done.key_id, "reencrypted": done.reencrypted, "encrypted": done.encrypted}
    )
