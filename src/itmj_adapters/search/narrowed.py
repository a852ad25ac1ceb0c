"""A score component over the matches' own numbering (``renumbering``), as the ranking by
bounds (``bounds``) reads it: one byte per match, never a set to split."""

import attrs


@attrs.frozen
class Narrowed:
    """``marks``: 1 for each match meeting the component, else 0. ``maximum``: the largest
    value a match gets, exactly as ``Component.maximum``. ``layers``: one byte per match, a
    key (0 for a match the layer leaves out), and per key a value no match with that key
    exceeds; each match meeting the component is in one layer."""

    marks: bytes
    maximum: float
    layers: tuple[tuple[bytes, dict[int, float]], ...]
