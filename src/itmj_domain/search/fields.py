"""The searchable fields of a candidate and the document the query language matches against."""

import enum
from collections.abc import Iterable

import attrs


class SearchField(enum.Enum):
    """A field a query may name; a bare term searches all of them."""

    HEADLINE = "headline"
    SUMMARY = "summary"
    SKILLS = "skills"
    CITY = "city"
    COUNTRY = "country"


def _strings(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)


def _optional_values(value: str | None) -> tuple[str, ...]:
    return () if value is None else (value,)


@attrs.frozen
class SearchDocument:
    """What a candidate exposes to search: ``country`` is the country's English name.

    A field with no value (``None``, or no skills) does not exist for ``_exists_``; an empty
    string is a value, as it is for Elasticsearch.
    """

    headline: str | None = None
    summary: str | None = None
    skills: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    city: str | None = None
    country: str | None = None

    def values(self, field: SearchField) -> tuple[str, ...]:
        """The values of ``field``: one for a text field, one per skill for ``skills``."""
        if field is SearchField.SKILLS:
            return self.skills
        return _optional_values(getattr(self, field.value))
