"""What the services say when the database cannot be reached, or its schema is not the one
this code was written for. Here, not beside the migrations, so that a caller can catch them
without the PostgreSQL driver installed."""

from collections.abc import Sequence


class SchemaBehind(RuntimeError):
    """The database lacks migrations this code needs: services built over it would fail at
    their first query. Nothing is changed: migrating is the operator's step."""

    def __init__(self, missing: Sequence[str]) -> None:
        self.missing = tuple(missing)
        super().__init__(
            f"the database schema is behind this code ({len(self.missing)} migration"
            f"{'' if len(self.missing) == 1 else 's'} not applied: {', '.join(self.missing)}); "
            "apply them with `itmj db migrate`, or migrate(database_url) from the library"
        )


class DatabaseUnreachable(RuntimeError):
    """No connection to the configured database could be made at start. The message names
    host, port and database and the driver's reason, never the password."""

    def __init__(self, host: str, port: str, database: str, reason: str) -> None:
        self.host, self.port, self.database, self.reason = host, port, database, reason
        super().__init__(f"cannot reach PostgreSQL at {host}:{port}/{database}: {reason}")
