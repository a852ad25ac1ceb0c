"""How a candidate's searchable text is held: one string of term ids (within a segment that
holds the texts of many candidates, see ``inverted_index``).

Each term is written as the character whose code is its id, so phrase checks are substring
searches done in C. The values of a multi-valued field (skills) are separated by ``chr(0)``
and the fields by ``chr(1)``, so no phrase spans two values or two fields; where each field
starts is kept beside the string (the start of each field, then one past the end of the
string: ``BOUNDS`` numbers), so field ``i`` runs from ``bounds[i]`` to ``bounds[i + 1] - 1``.
"""

import operator
from collections.abc import Sequence
from itertools import repeat

from itmj_domain.search import SearchField

FIELDS = tuple(SearchField)
FIELD_NUMBER = {field: number for number, field in enumerate(FIELDS)}
BOUNDS = len(FIELDS) + 1
VALUE_SEPARATOR = "\x00"
FIELD_SEPARATOR = "\x01"


def encode_all(fields: Sequence[Sequence[str]]) -> tuple[list[str], list[list[int]]]:
    """The strings of candidates whose field ``i`` is written ``fields[i][c]`` (candidate
    ``c``'s values already written as term characters and joined by ``VALUE_SEPARATOR``),
    and their bounds: ``bounds[b][c]`` is bound ``b`` of candidate ``c``'s string."""
    texts = list(map(FIELD_SEPARATOR.join, zip(*fields, strict=True)))
    bounds = [[0] * len(texts)]
    for values in fields:
        past_separator = map(operator.add, map(len, values), repeat(1))
        bounds.append(list(map(operator.add, bounds[-1], past_separator)))
    return texts, bounds
