"""JSON Schema (draft 2020-12, the dialect of OpenAPI 3.1) of the types the API reads and sends.

Request bodies are attrs classes that the one converter structures; their schemas are derived
here from those very classes — names (camelCase), types, nullability, which fields are
required and their defaults — so a field added, renamed or made optional changes the document
with it. What a type cannot say (lengths, ranges, patterns) comes from the domain's constants
through ``constraints`` keyed by attribute name, and a constraint naming no attribute fails
the build of the document.
"""

import enum
import types
from datetime import datetime
from typing import Any, Union, get_args, get_origin, get_type_hints

import attrs

from itmj_adapters.json_style import camel
from itmj_http.json_converter import INT64_MAX, INT64_MIN, TIMESTAMP_PATTERN

Schema = dict[str, Any]

TIMESTAMP: Schema = {
    "type": "string",
    "format": "date-time",
    "pattern": f"^{TIMESTAMP_PATTERN}$",
    "description": "UTC ISO 8601; requests may give any offset, responses always end in Z",
}
INT64: Schema = {"type": "integer", "format": "int64", "minimum": INT64_MIN,
                 "maximum": INT64_MAX}
_ARRAYS = (list, tuple, frozenset)


def anchored(pattern: str) -> str:
    """A domain regex used with ``fullmatch``, as the JSON Schema pattern saying the same."""
    return f"^(?:{pattern})$"


def type_schema(type_: Any) -> Schema:
    origin, args = get_origin(type_), get_args(type_)
    if origin in (Union, types.UnionType):
        members = [arg for arg in args if arg is not types.NoneType]
        if len(members) != 1:
            raise TypeError(f"no JSON shape for {type_!r}")
        schema = type_schema(members[0])
        return nullable(schema) if len(members) < len(args) else schema
    if origin in _ARRAYS:
        return {"type": "array", "items": type_schema(args[0])}
    if type_ is bool:
        return {"type": "boolean"}
    if type_ is int:
        return dict(INT64)
    if type_ is str:
        return {"type": "string"}
    if type_ is datetime:
        return dict(TIMESTAMP)
    if isinstance(type_, type) and issubclass(type_, enum.Enum):
        return {"type": "string", "enum": [member.value for member in type_]}
    raise TypeError(f"no JSON shape for {type_!r}")


def nullable(schema: Schema) -> Schema:
    kinds = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
    widened = {**schema, "type": [*kinds, "null"]}
    if "enum" in schema:
        widened["enum"] = [*schema["enum"], None]
    return widened


def attribute_schema(cl: type, name: str, **constraints: Any) -> Schema:
    attribute = attrs.fields_dict(cl)[name]
    return {**type_schema(get_type_hints(cl)[name]), **_default(attribute), **constraints}


def object_schema(
    cl: type,
    constraints: dict[str, Schema],
    *,
    all_optional: bool = False,
    **extra: Any,
) -> Schema:
    """The JSON object the converter structures as ``cl``: unknown keys are refused, and the
    attributes without a default are required (none with ``all_optional``, as a PATCH-like
    body where what is sent is what changes)."""
    fields = attrs.fields(cl)
    unknown = set(constraints) - {field.name for field in fields}
    if unknown:
        raise KeyError(f"constraints on no attribute of {cl.__name__}: {sorted(unknown)}")
    properties = {
        camel(field.name): attribute_schema(cl, field.name, **constraints.get(field.name, {}))
        for field in fields
    }
    if all_optional:
        # What is not sent stays as it is: there is no default to state.
        properties = {name: without(schema, "default") for name, schema in properties.items()}
    required = [
        camel(field.name) for field in fields
        if field.default is attrs.NOTHING and not all_optional
    ]
    schema: Schema = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    return {**schema, "additionalProperties": False, **extra}


def without(schema: Schema, *keywords: str) -> Schema:
    return {key: value for key, value in schema.items() if key not in keywords}


def _default(attribute: attrs.Attribute) -> Schema:
    default = attribute.default
    # attrs' stubs declare Factory a function (so that a Factory default types as its value);
    # at run time it is the class of such defaults.
    factory = isinstance(default, attrs.Factory)  # type: ignore[arg-type]
    if default is attrs.NOTHING or default is None or factory:
        return {}
    return {"default": default.value if isinstance(default, enum.Enum) else default}
