"""The ISO 3166-1 list, read from the migration that seeds the ``countries`` table.

That migration holds the one copy of the data (a JSON array between ``$iso3166$`` quotes), so
the in-memory directory cannot drift from what PostgreSQL serves.
"""

import functools
import json
from importlib import resources

from itmj_domain.countries import Country

SEED_MIGRATION = ("postgres", "migrations", "0003_countries.sql")
_QUOTE = "$iso3166$"


@functools.cache
def countries() -> tuple[Country, ...]:
    """Every country the seed lists, in its order; raises if the seed cannot be read."""
    path = resources.files("itmj_adapters").joinpath(*SEED_MIGRATION)
    parts = path.read_text(encoding="utf-8").split(_QUOTE)
    if len(parts) != 3:
        raise ValueError(f"{'/'.join(SEED_MIGRATION)} must quote one list with {_QUOTE}")
    return tuple(Country(entry["id"], entry["name"]) for entry in json.loads(parts[1]))
