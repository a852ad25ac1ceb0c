"""The country directory in PostgreSQL.

Countries are reference data that only a migration changes, so the table is read once, on
first use (not at construction: a process may start before the migration has run), and kept.
"""

import threading
from collections.abc import Sequence

from psycopg_pool import ConnectionPool

from itmj_domain.countries import Country, name_order

_SELECT = "SELECT id, name FROM countries"


class PostgresCountryDirectory:
    def __init__(self, pool: ConnectionPool) -> None:
        self._pool = pool
        self._lock = threading.Lock()
        self._ordered: tuple[Country, ...] | None = None
        self._by_id: dict[int, Country] = {}

    def all(self) -> Sequence[Country]:
        return self._loaded()

    def get(self, country_id: int) -> Country | None:
        self._loaded()
        return self._by_id.get(country_id)

    def _loaded(self) -> tuple[Country, ...]:
        if self._ordered is not None:
            return self._ordered
        with self._lock:
            if self._ordered is None:
                with self._pool.connection() as conn:
                    rows = conn.execute(_SELECT).fetchall()
                countries = [Country(id_, name) for id_, name in rows]
                self._by_id = {country.id: country for country in countries}
                self._ordered = tuple(sorted(countries, key=name_order))
            return self._ordered
