"""The OpenAPI document: valid OpenAPI 3.1, describing every route, in the very shapes the API
reads and sends. Schemathesis (test_http_schemathesis) and the contract snapshots hold the
real answers to it."""

import re

import attrs
import falcon.inspect
import jsonschema
import pytest
from openapi_spec_validator import OpenAPIV31SpecValidator

from itmj_domain.jobs import EMAIL_PATTERN, URL_PATTERN, WHITESPACE, JobContent
from itmj_http.candidate_json import SearchBody
from itmj_http.json_converter import camel
from itmj_http.openapi import document
from itmj_http.portal.middleware import is_portal_path
from tests.http.support import JOBS, create_job

SPEC = "/swagger/v1/swagger.json"
METHODS = ("get", "put", "post", "delete", "patch", "options", "head", "trace")


def _template(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", path)


def _resolve(root: dict, ref: str) -> dict:
    node = root
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    return node


def _walk(node: object, path: tuple = ()):
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _walk(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, (*path, index))


def _operations(root: dict):
    for path, item in root["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield path, method, operation


def _responses(root: dict, operation: dict) -> dict[str, dict]:
    return {
        status: _resolve(root, response["$ref"]) if "$ref" in response else response
        for status, response in operation["responses"].items()
    }


def validator(root: dict, schema: dict) -> jsonschema.Draft202012Validator:
    """A JSON Schema 2020-12 validator for ``schema``, its $refs resolved in the document."""
    return jsonschema.Draft202012Validator(
        {**schema, "components": root["components"]},
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
    )


def test_the_served_document_is_valid_openapi_3_1(client):
    served = client.simulate_get(SPEC)
    assert served.headers["content-type"] == "application/json"
    assert served.json == document()
    assert served.json["openapi"] == "3.1.0"
    OpenAPIV31SpecValidator(served.json).validate()


def test_every_route_and_method_of_the_app_is_described(client):
    described = {
        (_template(path), method.upper()) for path, method, _ in _operations(document())
    }
    # The portal's pages are for people, not partners: the contract leaves them out.
    served = {
        (_template(route.path), method.method)
        for route in falcon.inspect.inspect_routes(client.app)
        if not is_portal_path(route.path)
        for method in route.methods if not method.internal
    }
    assert described == served


def test_every_reference_resolves():
    root = document()
    refs = [node["$ref"] for _, node in _walk(root) if isinstance(node, dict) and "$ref" in node]
    assert refs
    for ref in refs:
        assert _resolve(root, ref)


def test_schemas_use_json_schema_2020_12_not_the_3_0_dialect():
    for path, node in _walk(document()["components"]["schemas"]):
        if isinstance(node, dict) and path[-1:] != ("properties",):
            assert "nullable" not in node, path
            assert "example" not in node, path


def test_every_example_fits_what_it_illustrates():
    root = document()
    examples = 0
    for path, method, operation in _operations(root):
        media = [operation.get("requestBody", {}).get("content", {}).get("application/json")]
        media += [r.get("content", {}).get("application/json")
                  for r in _responses(root, operation).values()]
        for medium in media:
            if medium and "example" in medium:
                examples += 1
                errors = list(validator(root, medium["schema"]).iter_errors(medium["example"]))
                assert not errors, (path, method, errors)
    assert examples >= 6


def test_a_401_has_no_body_and_every_keyed_operation_documents_it():
    root = document()
    for path, _method, operation in _operations(root):
        responses = _responses(root, operation)
        if path.startswith("/api/v1/"):
            assert "content" not in responses["401"]
            assert {"400", "401", "500"} <= set(responses)
            assert (path == "/api/v1/countries") == ("403" not in responses)
        else:
            assert operation["security"] == []


def test_every_error_answer_is_the_envelope_with_its_own_codes():
    root = document()
    codes = {}
    for path, _method, operation in _operations(root):
        for status, response in _responses(root, operation).items():
            if path.startswith("/api/v1/") and status.startswith(("4", "5")) and status != "401":
                schema = response["content"]["application/json"]["schema"]
                assert schema["allOf"] == [{"$ref": "#/components/schemas/Error"}]
                codes.setdefault(status, set()).update(schema["properties"]["code"]["enum"])
    assert codes == {
        "400": {"invalid_request", "invalid_state", "invalid_query"},
        "402": {"no_credits"}, "403": {"forbidden"}, "404": {"not_found"},
        "413": {"invalid_request"}, "415": {"invalid_request"}, "500": {"internal_error"},
    }


def test_request_bodies_are_derived_from_the_classes_the_converter_fills():
    schemas = document()["components"]["schemas"]
    content = [camel(field.name) for field in attrs.fields(JobContent)]
    assert list(schemas["JobCreate"]["properties"]) == content
    assert list(schemas["JobChanges"]["properties"]) == content
    assert "required" not in schemas["JobChanges"]
    assert set(schemas["JobCreate"]["required"]) == {
        "title", "description", "employmentType", "remoteType", "applyMethod"}
    assert schemas["JobCreate"]["properties"]["reference"]["type"] == ["string", "null"]
    assert schemas["JobCreate"]["properties"]["salaryPeriod"]["enum"][-1] is None
    search = schemas["CandidateSearch"]
    assert list(search["properties"]) == [camel(f.name) for f in attrs.fields(SearchBody)]
    assert (search["required"], search["properties"]["pageSize"]["default"]) == (["query"], 20)
    assert all(s["additionalProperties"] is False
               for s in (schemas["JobCreate"], schemas["JobChanges"], search))


def test_the_response_schemas_list_exactly_the_fields_the_api_sends(api):
    schemas = document()["components"]["schemas"]
    job = create_job(api)
    item = api.simulate_get(JOBS).json["items"][0]
    assert list(schemas["Job"]["properties"]) == list(job)
    assert list(schemas["JobListItem"]["properties"]) == list(item)
    root = document()
    assert not list(validator(root, {"$ref": "#/components/schemas/Job"}).iter_errors(job))


def test_both_ways_of_sending_a_key_are_declared():
    root = document()
    schemes = root["components"]["securitySchemes"]
    assert (schemes["bearerKey"]["type"], schemes["bearerKey"]["scheme"]) == ("http", "bearer")
    assert (schemes["headerKey"]["in"], schemes["headerKey"]["name"]) == ("header", "X-Api-Key")
    assert root["security"] == [{"bearerKey": []}, {"headerKey": []}]


def test_the_documented_whitespace_is_what_the_domain_strips():
    spaces = "".join(chr(c) for c in range(0x110000) if chr(c).isspace())
    assert re.fullmatch(f"[{WHITESPACE}]+", spaces)
    assert not re.search(f"[{WHITESPACE}]", "".join(
        chr(c) for c in range(0x3001) if not chr(c).isspace() and not 0xD800 <= c < 0xE000))


@pytest.mark.parametrize(("pattern", "value", "fits"), [
    (EMAIL_PATTERN, "jobs@acme.example", True),
    (EMAIL_PATTERN, "jobs@acme\x1c.example", False),
    (EMAIL_PATTERN, "jobs acme.example", False),
    (URL_PATTERN, "HTTPS://careers.acme.example/it", True),
    (URL_PATTERN, "https://acme.example/\x85", False),
    (URL_PATTERN, "ftp://acme.example", False),
])
def test_the_documented_patterns_mean_the_same_to_json_schema(pattern, value, fits):
    schema = {"type": "string", "pattern": f"^(?:{pattern})$"}
    assert jsonschema.Draft202012Validator(schema).is_valid(value) is fits
    assert (re.fullmatch(pattern, value) is not None) is fits
