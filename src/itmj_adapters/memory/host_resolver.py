"""A resolver that answers from a table, for tests that need a name to resolve somewhere
chosen (an internal address, or one that changes between registration and delivery)."""

from collections.abc import Mapping, Sequence

from itmj_domain.webhooks.addresses import literal_address


class StaticResolver:
    def __init__(self, table: Mapping[str, Sequence[str]] | None = None) -> None:
        self.table = dict(table or {})

    def addresses(self, host: str, port: int) -> Sequence[str]:
        literal = literal_address(host.strip("[]"))
        if literal is not None:
            return (str(literal),)
        return tuple(self.table.get(host.lower().removesuffix("."), ()))
