"""JSON Schema (draft 2020-12, the dialect of OpenAPI 3.1) of the types the API reads and sends.

Request bodies are attrs classes that the one converter structures; their schemas are derived
here from those very classes — names (camelCase), types, nullability, which fields are
required and their defaults — so a field added, renamed or made optional changes the document
with it. What a type cannot say (lengths, ranges, patterns) comes from the domain's constants
through ``constraints`` keyed by attribute name, and a constraint naming no attribute fails
the build of the document.

Every enum is one named component (``enum_schema``), referenced where it is used, so that a
generated client has one type per enum. A request takes exactly its members; a response
field is ``extensible``: a value added later must not break a client generated today
(SPEC §11), so it is the enum or any other string.
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


def type_schema(type_: Any, *, extensible: bool = False) -> Schema:
    """The schema of values of ``type_``; with ``extensible``, as a response sends them."""
    origin, args = get_origin(type_), get_args(type_)
    if origin in (Union, types.UnionType):
        members = [arg for arg in args if arg is not types.NoneType]
        if len(members) != 1:
            raise TypeError(f"no JSON shape for {type_!r}")
        schema = type_schema(members[0], extensible=extensible)
        return nullable(schema) if len(members) < len(args) else schema
    if origin in _ARRAYS:
        return {"type": "array", "items": type_schema(args[0], extensible=extensible)}
    if type_ is bool:
        return {"type": "boolean"}
    if type_ is int:
        return dict(INT64)
    if type_ is str:
        return {"type": "string"}
    if type_ is datetime:
        return dict(TIMESTAMP)
    if isinstance(type_, type) and issubclass(type_, enum.Enum):
        reference = ref(type_.__name__)
        return extensible_enum(reference) if extensible else reference
    raise TypeError(f"no JSON shape for {type_!r}")


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def enum_schema(values: list[str]) -> Schema:
    return {"type": "string", "enum": values}


def enum_class_schema(type_: type[enum.Enum]) -> Schema:
    return enum_schema([member.value for member in type_])


def extensible_enum(reference: Schema) -> Schema:
    """An enum as a response sends it: one of its values today, maybe another tomorrow.
    ``anyOf`` rather than ``x-extensible-enum`` alone, which generators ignore: a client
    generated from this parses a known value as the enum and keeps an unknown one as a
    string."""
    name = reference["$ref"].rsplit("/", 1)[-1]
    return {"anyOf": [reference, {"type": "string"}],
            "description": f"{name}, or a value added to it later: treat a value you do "
                           "not know as unknown, never fail on it"}


def nullable(schema: Schema) -> Schema:
    if "type" not in schema:
        members = schema.get("anyOf", [schema])
        return {**without(schema, "anyOf", "$ref"), "anyOf": [*members, {"type": "null"}]}
    kinds = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
    return {**schema, "type": [*kinds, "null"]}


def attribute_schema(cl: type, name: str, *, extensible: bool = False,
                     **constraints: Any) -> Schema:
    attribute = attrs.fields_dict(cl)[name]
    schema = type_schema(get_type_hints(cl)[name], extensible=extensible)
    return {**schema, **_default(attribute), **constraints}


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
    properties = object_properties(cl, constraints)
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


def object_properties(
    cl: type, constraints: dict[str, Schema], *, extensible: bool = False
) -> dict[str, Schema]:
    """The schema of each attribute of ``cl`` by its JSON name, in the class's order."""
    fields = attrs.fields(cl)
    unknown = set(constraints) - {field.name for field in fields}
    if unknown:
        raise KeyError(f"constraints on no attribute of {cl.__name__}: {sorted(unknown)}")
    return {
        camel(field.name): attribute_schema(
            cl, field.name, extensible=extensible, **constraints.get(field.name, {}))
        for field in fields
    }


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
