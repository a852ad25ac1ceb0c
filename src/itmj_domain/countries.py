"""Countries: ISO 3166-1 numeric codes with their English names, the same for every tenant."""

import unicodedata

import attrs

from itmj_domain.errors import InvalidInput

MIN_COUNTRY_ID = 1
MAX_COUNTRY_ID = 999


@attrs.frozen
class Country:
    id: int
    name: str

    def __attrs_post_init__(self) -> None:
        if not MIN_COUNTRY_ID <= self.id <= MAX_COUNTRY_ID:
            raise InvalidInput(
                f"a country id is an ISO 3166-1 numeric code, 1 to {MAX_COUNTRY_ID}",
                field="id",
            )
        if not self.name.strip():
            raise InvalidInput("a country needs a name", field="name")


def name_order(country: Country) -> tuple[str, int]:
    """The order countries are listed in: by name as a reader expects it, accents and case
    aside (Åland Islands comes right after Afghanistan), whatever a database's collation."""
    decomposed = unicodedata.normalize("NFKD", country.name)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return plain.casefold(), country.id
