"""How a candidate's searchable text is held: one string of term ids (within a segment that
holds the texts of many candidates, see ``inverted_index``).

Each term is written as the character whose code is its id, so phrase checks are substring
searches done in C. The values of a multi-valued field (skills) are separated by ``chr(0)``
and the fields by ``chr(1)``, so no phrase spans two values or two fields; where each field
starts is kept beside the string (the start of each field, then one past the end of the
string: ``BOUNDS`` numbers), so field ``i`` runs from ``bounds[i]`` to ``bounds[i + 1] - 1``.
"""

from itmj_domain.search import SearchField

FIELDS = tuple(SearchField)
FIELD_NUMBER = {field: number for number, field in enumerate(FIELDS)}
BOUNDS = len(FIELDS) + 1
VALUE_SEPARATOR = "\x00"
FIELD_SEPARATOR = "\x01"


def encode(fields: list[list[str]]) -> tuple[str, list[int]]:
    """The string of a candidate whose field ``i`` has the values ``fields[i]`` (each already
    written as term characters), and its bounds."""
    texts = [VALUE_SEPARATOR.join(values) for values in fields]
    bounds = []
    position = 0
    for text in texts:
        bounds.append(position)
        position += len(text) + 1
    bounds.append(position)
    return FIELD_SEPARATOR.join(texts), bounds
