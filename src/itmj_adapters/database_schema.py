"""What the services say when the database's schema is not the one this code was written
for. Here, not beside the migrations, so that a caller can catch it without the PostgreSQL
driver installed."""

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
