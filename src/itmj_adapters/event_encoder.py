"""The JSON body of a webhook delivery (SPEC §7), built from a domain event.

``{"id", "event", "occurredAt", "data"}`` with the payload's attributes as camelCase keys,
timestamps as UTC ISO 8601 with ``Z`` and enums by their values.
"""

import enum
import json
from datetime import UTC, datetime

import attrs
import cattrs
from cattrs.gen import make_dict_unstructure_fn, override

from itmj_domain.events import Event


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def format_timestamp(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _payload_converter() -> cattrs.Converter:
    converter = cattrs.Converter()
    converter.register_unstructure_hook(datetime, format_timestamp)
    converter.register_unstructure_hook(enum.Enum, lambda member: member.value)
    # The ignore: mypy matches **overrides against the hook's _cattrs_* flags as well, though
    # every key is an attribute name (python/mypy#11583).
    converter.register_unstructure_hook_factory(
        attrs.has,
        lambda cl: make_dict_unstructure_fn(
            cl, converter, **{a.name: override(rename=camel(a.name)) for a in attrs.fields(cl)},  # type: ignore[arg-type]
        ),
    )
    return converter


class JsonEventEncoder:
    def __init__(self) -> None:
        self._converter = _payload_converter()

    def encode(self, event: Event) -> bytes:
        envelope = {
            "id": event.id,
            "event": event.type.value,
            "occurredAt": format_timestamp(event.occurred_at),
            "data": self._converter.unstructure(event.payload),
        }
        return json.dumps(envelope, separators=(",", ":")).encode()
