"""The JSON body of a webhook delivery (SPEC §7), built from a domain event.

``{"id", "event", "occurredAt", "sequence", "data"}`` with the payload's attributes as
camelCase keys, timestamps as UTC ISO 8601 with ``Z`` (as the API writes them, ``json_style``;
``occurredAt`` to the millisecond) and enums by their values. The Events API lists events in
the same shape (``envelope``).
"""

import enum
import json
from datetime import datetime
from typing import Any

import attrs
import cattrs
from cattrs.gen import make_dict_unstructure_fn

from itmj_adapters.json_style import camel_names, format_timestamp, format_timestamp_milliseconds
from itmj_domain.events import Event


def _payload_converter() -> cattrs.Converter:
    converter = cattrs.Converter()
    converter.register_unstructure_hook(datetime, format_timestamp)
    converter.register_unstructure_hook(enum.Enum, lambda member: member.value)
    # The ignore: mypy matches **overrides against the hook's _cattrs_* flags as well, though
    # every key is an attribute name (python/mypy#11583).
    converter.register_unstructure_hook_factory(
        attrs.has,
        lambda cl: make_dict_unstructure_fn(cl, converter, **camel_names(cl)),  # type: ignore[arg-type]
    )
    return converter


class JsonEventEncoder:
    def __init__(self) -> None:
        self._converter = _payload_converter()

    def encode(self, event: Event) -> bytes:
        return json.dumps(self.envelope(event), separators=(",", ":")).encode()

    def envelope(self, event: Event) -> dict[str, Any]:
        """The body as a JSON-ready dict."""
        return {
            "id": event.id,
            "event": event.type.value,
            "occurredAt": format_timestamp_milliseconds(event.occurred_at),
            "sequence": event.sequence,
            "data": self._converter.unstructure(event.payload),
        }
