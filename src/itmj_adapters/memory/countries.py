"""The country directory in memory, over the list the database migration seeds."""

from collections.abc import Sequence

from itmj_adapters import iso3166
from itmj_domain.countries import Country, name_order


class MemoryCountryDirectory:
    def __init__(self) -> None:
        listed = iso3166.countries()
        self._ordered = tuple(sorted(listed, key=name_order))
        self._by_id = {country.id: country for country in listed}

    def all(self) -> Sequence[Country]:
        return self._ordered

    def get(self, country_id: int) -> Country | None:
        return self._by_id.get(country_id)
