"""A job's version as partners see it, for conditional requests (SPEC §11).

The entity tag is a digest of the job's whole state, ``updated_at`` to the microsecond
included: every change that shows in the job gives a new tag, however close in time to the
last, with no counter to store, and both backends derive the same tag from the same job.
A write made on condition (``IfMatch``) checks the tag of the job it has locked, in the
transaction of the write, so no change can slip in between the check and the write.
"""

import enum
import hashlib
import json
import operator
from collections.abc import Callable
from datetime import UTC, datetime

import attrs

from itmj_domain.errors import PreconditionFailed
from itmj_domain.jobs import JobPost

_TAG_HEX_DIGITS = 32


def entity_tag(job: JobPost) -> str:
    """The job's current version: opaque, changed by every change to the job."""
    state = _ENCODER.encode(job)
    return hashlib.sha256(state.encode()).hexdigest()[:_TAG_HEX_DIGITS]


def _plain(value: object) -> object:
    """What JSON cannot hold as it stands, as the tag has always spelled it: an attrs
    instance as the list of its fields in order, a moment in UTC, a member by its value.
    Reading the fields through one cached getter per class keeps the tag cheap enough to
    send on every read."""
    kind = type(value)
    getter = _FIELDS.get(kind)
    if getter is None:
        if isinstance(value, datetime):
            return value.astimezone(UTC).isoformat()
        if isinstance(value, enum.Enum):
            return value.value
        if not attrs.has(kind):
            raise TypeError(f"{kind.__name__} has no place in a job's version")
        getter = _FIELDS[kind] = _field_getter(kind)
    return getter(value)


def _field_getter(kind: type) -> Callable[[object], list[object]]:
    names = [field.name for field in attrs.fields(kind)]
    if len(names) == 1:
        only = operator.attrgetter(names[0])
        return lambda value: [only(value)]
    several = operator.attrgetter(*names)
    return lambda value: list(several(value))


_FIELDS: dict[type, Callable[[object], list[object]]] = {}
_ENCODER = json.JSONEncoder(separators=(",", ":"), ensure_ascii=True, default=_plain)


@attrs.frozen
class IfMatch:
    """The versions a conditional write may proceed on: ``tags``, or any at all (``If-Match:
    *``) when ``tags`` is None; a job that does not exist is not found either way."""

    tags: frozenset[str] | None

    @classmethod
    def any(cls) -> "IfMatch":
        return cls(None)

    def check(self, job: JobPost) -> None:
        if self.tags is not None and entity_tag(job) not in self.tags:
            raise PreconditionFailed(
                f"job {job.id} has changed since that version: read it again (its ETag) "
                "and decide whether to repeat the change"
            )
