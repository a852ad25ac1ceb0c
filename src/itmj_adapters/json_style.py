"""How the platform writes JSON for partners, in API answers and webhook bodies alike.

An attribute's JSON name is its camelCase (``expiry_date`` is ``expiryDate``), and a time is
UTC to the second with ``Z``; when an event occurred, to the millisecond (SPEC §12). The API's
converter (``itmj_http.json_converter``) and the webhook encoder (``event_encoder``) both take
their names and times from here.
"""

import re
from datetime import UTC, datetime

import attrs
from cattrs.gen import AttributeOverride, override

_SNAKE_NAME = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
_TIMESTAMP_FORMAT = "%04d-%02d-%02dT%02d:%02d:%02dZ"
_MILLISECONDS_FORMAT = "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ"


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def camel_text(text: str) -> str:
    """Rewrite every snake_case attribute name in a domain message as its JSON name."""
    return _SNAKE_NAME.sub(lambda match: camel(match.group()), text)


def camel_names(cl: type) -> dict[str, AttributeOverride]:
    """The overrides that give a cattrs (un)structure function of the attrs class ``cl``
    the JSON names of its attributes."""
    return {a.name: override(rename=camel(a.name)) for a in attrs.fields(cl)}


def format_timestamp(instant: datetime) -> str:
    """``2026-06-01T00:00:00Z``: UTC, to the second. %-formatting writes it in half the time
    strftime takes, and always with four digits for the year."""
    utc = instant.astimezone(UTC)
    return _TIMESTAMP_FORMAT % (utc.year, utc.month, utc.day, utc.hour, utc.minute, utc.second)


def format_timestamp_milliseconds(instant: datetime) -> str:
    """``2026-06-01T00:00:00.123Z``: UTC, to the millisecond (truncated, never rounded up
    into the next second)."""
    utc = instant.astimezone(UTC)
    return _MILLISECONDS_FORMAT % (
        utc.year, utc.month, utc.day, utc.hour, utc.minute, utc.second,
        utc.microsecond // 1000,
    )
