"""The one cattrs converter of the API: camelCase JSON names and strict JSON types.

The domain's classes know nothing of JSON. Here their attribute names become camelCase (as
``itmj_adapters.json_style`` names them, for webhook bodies too) and
partners' values are checked strictly: a boolean is not an integer, a numeric string is not a
number, a string is not a list, a timestamp must say which zone it is in, and unknown keys are
refused. Failures come
back as one message naming each field the way the partner spelled it.
"""

import enum
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any, TypeVar, get_args, get_origin

import attrs
import cattrs
from cattrs.errors import AttributeValidationNote, ClassValidationError, ForbiddenExtraKeysError
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn

from itmj_adapters.json_style import camel, camel_names, format_timestamp
from itmj_domain.errors import InvalidInput

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1
# Digits spelled [0-9] rather than \d with re.ASCII: the OpenAPI document states the same
# pattern, and JSON Schema patterns take no flags.
TIMESTAMP_PATTERN = (
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}"
    r"(?:\.[0-9]{1,6})?(?:Z|[+-][0-9]{2}:[0-9]{2})"
)
_TIMESTAMP = re.compile(TIMESTAMP_PATTERN)
_TIMESTAMP_EXPECTED = (
    "expected an ISO 8601 timestamp with Z or an offset, e.g. 2026-06-01T00:00:00Z"
)
_MAX_ECHOED_NAME = 64
T = TypeVar("T")


class FieldError(ValueError):
    """A JSON value of the wrong type or shape; the message is written for the partner."""


class InvalidJson(ValueError):
    """A request whose JSON does not fit; ``message`` names every offending field, and
    ``field`` the first of them (as the partner spelled it) when one is to blame."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    @classmethod
    def of(cls, problems: list[tuple[str | None, str]]) -> "InvalidJson":
        """One error for every (field, problem); a problem of no one field reads
        ``body: …``."""
        message = "; ".join(
            f"{'body' if field is None else field}: {problem}" for field, problem in problems
        )
        return cls(message, next((field for field, _ in problems if field is not None), None))


def echo_name(name: str) -> str:
    """A key the partner sent, shortened so that an error never echoes a huge string."""
    return name if len(name) <= _MAX_ECHOED_NAME else name[:_MAX_ECHOED_NAME] + "…"


def make_converter() -> cattrs.Converter:
    converter = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    converter.register_structure_hook(int, _structure_int)
    converter.register_structure_hook(str, _structure_str)
    converter.register_structure_hook(datetime, _structure_timestamp)
    converter.register_unstructure_hook(datetime, format_timestamp)
    converter.register_structure_hook_factory(_is_enum, _enum_hook)
    converter.register_structure_hook_factory(
        _is_sequence, lambda type_: _sequence_hook(converter, type_)
    )
    # The ignores: mypy matches **overrides against the hooks' _cattrs_* flags as well, though
    # every key is an attribute name (python/mypy#11583).
    converter.register_structure_hook_factory(
        attrs.has,
        lambda cl: make_dict_structure_fn(
            cl, converter, _cattrs_forbid_extra_keys=True, **camel_names(cl)  # type: ignore[arg-type]
        ),
    )
    converter.register_unstructure_hook_factory(
        attrs.has,
        lambda cl: make_dict_unstructure_fn(cl, converter, **camel_names(cl)),  # type: ignore[arg-type]
    )
    return converter


def structure(converter: cattrs.Converter, data: object, cl: type[T]) -> T:
    """Structure ``data`` as ``cl``; raises ``InvalidJson`` naming every bad field, or the
    domain's own ``InvalidInput`` when the values fit but break a domain rule."""
    try:
        return converter.structure(data, cl)
    except ClassValidationError as group:
        rule = next((e for e in group.exceptions if isinstance(e, InvalidInput)), None)
        if rule is not None:
            raise rule from None
        raise InvalidJson.of(list(_problems(group))) from None


def _problems(group: ClassValidationError) -> Iterator[tuple[str | None, str]]:
    for error in group.exceptions:
        if isinstance(error, ForbiddenExtraKeysError):
            yield from ((echo_name(key), "unknown field") for key in sorted(error.extra_fields))
            continue
        notes = getattr(error, "__notes__", [])
        note = next((n for n in notes if isinstance(n, AttributeValidationNote)), None)
        field = camel(note.name) if note is not None else None
        if isinstance(error, KeyError):
            yield field, "required field missing"
        elif isinstance(error, FieldError):
            yield field, str(error)
        else:
            yield field, "invalid value"


def _structure_int(value: object, _type: type) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise FieldError("expected an integer")
    if not INT64_MIN <= value <= INT64_MAX:
        raise FieldError("integer out of range")
    return value


def _structure_str(value: object, _type: type) -> str:
    if not isinstance(value, str):
        raise FieldError("expected a string")
    # PostgreSQL text cannot hold NUL, and a lone surrogate cannot be encoded at all.
    if "\x00" in value:
        raise FieldError("must not contain NUL characters")
    try:
        value.encode()
    except UnicodeEncodeError:
        raise FieldError("must be valid Unicode text") from None
    return value


def _structure_timestamp(value: object, _type: type) -> datetime:
    if not isinstance(value, str) or not _TIMESTAMP.fullmatch(value):
        raise FieldError(_TIMESTAMP_EXPECTED)
    try:
        return datetime.fromisoformat(value).astimezone(UTC)
    except (ValueError, OverflowError):
        raise FieldError(_TIMESTAMP_EXPECTED) from None


_SEQUENCES = (list, tuple, frozenset)


def _is_sequence(type_: object) -> bool:
    """``list[T]``, ``frozenset[T]`` and ``tuple[T, ...]``: what a JSON list becomes."""
    origin, args = get_origin(type_), get_args(type_)
    if origin is tuple:
        return len(args) == 2 and args[1] is Ellipsis
    return origin in _SEQUENCES and len(args) == 1


def _sequence_hook(converter: cattrs.Converter, type_: Any) -> Callable[[object, type], object]:
    collection, item_type = get_origin(type_), get_args(type_)[0]
    structure_item = converter.get_structure_hook(item_type)

    def structure_sequence(value: object, _type: type) -> object:
        if not isinstance(value, list):
            raise FieldError("expected a list")
        items = []
        for index, item in enumerate(value, start=1):
            try:
                items.append(structure_item(item, item_type))
            except FieldError as error:
                raise FieldError(f"item {index}: {error}") from None
        return collection(items)

    return structure_sequence


def _is_enum(type_: object) -> bool:
    return isinstance(type_, type) and issubclass(type_, enum.Enum)


def _enum_hook(enum_type: type[enum.Enum]) -> Callable[[object, type], enum.Enum]:
    members = {member.value: member for member in enum_type}
    expected = "expected one of " + ", ".join(members)

    def structure_member(value: object, _type: type) -> enum.Enum:
        if not isinstance(value, str) or value not in members:
            raise FieldError(expected)
        return members[value]

    return structure_member
