"""The OpenAPI document: valid OpenAPI 3.1, describing every route, in the very shapes the API
reads and sends. Schemathesis (test_http_schemathesis) and the contract snapshots hold the
real answers to it."""

import re

import attrs
import falcon.inspect
import jsonschema
import pytest
from falcon.testing import TestClient
from openapi_spec_validator import OpenAPIV31SpecValidator

from itmj_adapters.json_style import camel
from itmj_domain.api_keys import Scope
from itmj_domain.credits import CreditKind
from itmj_domain.jobs import EMAIL_PATTERN, URL_PATTERN, WHITESPACE, JobContent
from itmj_http import openapi
from itmj_http.candidate_json import SearchBody
from itmj_http.portal.favicon import FAVICON_PATH
from itmj_http.portal.middleware import is_portal_path
from tests.http.support import JOB_BODY, JOBS, create_job, new_partner, served_document

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
    """A JSON Schema 2020-12 validator for ``schema``, its $refs resolved in the document
    closed: what the API sends today, exactly."""
    return jsonschema.Draft202012Validator(
        {**schema, "components": closed(root["components"])},
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
    )


def closed(node):
    """The schemas held to today's answers: no field beyond an object's properties, no enum
    value beyond the enum's. The served document leaves responses open to both (SPEC §11)
    for clients; the tests hold the API itself to what it documents."""
    if isinstance(node, list):
        return [closed(item) for item in node]
    if not isinstance(node, dict):
        return node
    shut = {key: closed(value) for key, value in node.items()}
    members = shut.get("anyOf", [])
    if any("$ref" in member for member in members):
        shut["anyOf"] = [member for member in members if member != {"type": "string"}]
    if shut.get("type") == "object" and "properties" in shut:
        shut.setdefault("additionalProperties", False)
    return shut


def test_the_served_document_is_valid_openapi_3_1(client):
    served = client.simulate_get(SPEC)
    assert served.headers["content-type"] == "application/json"
    assert served.json == served_document()
    assert served.json["openapi"] == "3.1.0"
    OpenAPIV31SpecValidator(served.json).validate()


def test_every_route_and_method_of_the_app_is_described(client):
    described = {
        (_template(path), method.upper()) for path, method, _ in _operations(served_document())
    }
    # The portal's pages and the site's icon are for people, not partners: the contract
    # leaves them out.
    served = {
        (_template(route.path), method.method)
        for route in falcon.inspect.inspect_routes(client.app)
        if not is_portal_path(route.path) and route.path != FAVICON_PATH
        for method in route.methods if not method.internal
    }
    assert described == served


def test_every_reference_resolves():
    root = served_document()
    refs = [node["$ref"] for _, node in _walk(root) if isinstance(node, dict) and "$ref" in node]
    assert refs
    for ref in refs:
        assert _resolve(root, ref)


def test_schemas_use_json_schema_2020_12_not_the_3_0_dialect():
    for path, node in _walk(served_document()["components"]["schemas"]):
        if isinstance(node, dict) and path[-1:] != ("properties",):
            assert "nullable" not in node, path
            assert "example" not in node, path


def test_every_example_fits_what_it_illustrates():
    root = served_document()
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
    root = served_document()
    for path, _method, operation in _operations(root):
        responses = _responses(root, operation)
        if path.startswith("/api/v1/"):
            assert "content" not in responses["401"]
            assert {"400", "401", "500"} <= set(responses)
            any_key = path in ("/api/v1/countries", "/api/v1/credits", "/api/v1/events")
            assert any_key == ("403" not in responses)
        else:
            assert operation["security"] == []


def test_every_error_answer_is_the_envelope_with_its_own_codes():
    root = served_document()
    codes = {}
    for path, _method, operation in _operations(root):
        for status, response in _responses(root, operation).items():
            if path.startswith("/api/v1/") and status.startswith(("4", "5")) and status != "401":
                schema = response["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/Error"}
                codes.setdefault(status, set()).update(response["x-error-codes"])
    assert codes == {
        "400": {"invalid_request", "invalid_state", "invalid_query"},
        "402": {"no_credits"}, "403": {"forbidden"}, "404": {"not_found"},
        "412": {"precondition_failed"}, "413": {"invalid_request"},
        "415": {"invalid_request"}, "429": {"rate_limited"},
        "500": {"internal_error"}, "503": {"search_unavailable"},
    }


def test_the_rate_limited_families_document_429_and_their_fields_on_every_answer():
    root = served_document()
    policies = {}
    for path, _method, operation in _operations(root):
        responses = _responses(root, operation)
        limited = path.startswith(
            ("/api/v1/jobs", "/api/v1/candidates/", "/api/v1/credits", "/api/v1/webhooks/",
             "/api/v1/events")
        )
        assert ("429" in responses) is limited, path
        if not limited:
            continue
        assert responses["429"]["headers"]["Retry-After"]["schema"]["type"] == "integer"
        for status, response in responses.items():
            fields = {name: _resolve(root, field["$ref"]) if "$ref" in field else field
                      for name, field in response.get("headers", {}).items()}
            if status in ("401", "403"):
                assert "RateLimit-Policy" not in fields
            else:
                assert fields["RateLimit-Policy"]["required"] is True
                assert fields["RateLimit"].get("required", False) is (status == "429")
                policies.setdefault(path.split("/")[3], set()).add(
                    fields["RateLimit-Policy"]["schema"]["const"])
    assert policies == {
        "jobs": {'"jobs";q=100;w=60'},
        "candidates": {'"candidate-search";q=30;w=60', '"candidate-view";q=60;w=60'},
        "credits": {'"self-service";q=60;w=60'},
        "webhooks": {'"self-service";q=60;w=60'},
        "events": {'"jobs";q=100;w=60'},
    }


_WRITES = {
    "createJob": [("POST", "/api/v1/jobs", {"city": "Leeds"}),
                  ("POST", "/api/v1/jobs", {"city": "York"})],
    "updateJob": [("PUT", "/api/v1/jobs/{a}", {"city": "Leeds"}),
                  ("PUT", "/api/v1/jobs/{a}", {"city": "York"})],
    "deactivateJob": [("DELETE", "/api/v1/jobs/{a}", None), ("DELETE", "/api/v1/jobs/{b}", None)],
    "publishJob": [("POST", "/api/v1/jobs/{a}/publish", None),
                   ("POST", "/api/v1/jobs/{b}/publish", None)],
    "searchCandidates": [("POST", "/api/v1/candidates/search", {"query": "engineer"}),
                         ("POST", "/api/v1/candidates/search", {"query": "manager"})],
}


@pytest.mark.parametrize("operation", sorted(_WRITES))
def test_exactly_the_writes_documenting_idempotency_key_refuse_its_reuse(services, client,
                                                                        operation):
    partner = new_partner(services, credits=5, scopes=frozenset(Scope))
    services.credits.grant(partner.employer_id, CreditKind.CV_SEARCH, 5)
    api = TestClient(client.app, headers={**partner.bearer, "Idempotency-Key": "retry-1"})
    drafts = [create_job(TestClient(client.app, headers=partner.bearer))["id"] for _ in "ab"]
    answers = []
    for method, path, changes in _WRITES[operation]:
        body = None if changes is None else (
            {**JOB_BODY, **changes} if operation == "createJob" else changes)
        target = path.format(a=drafts[0], b=drafts[1])
        answers.append(api.simulate_request(method, target, json=body))
    (_path, _method, described), = [
        op for op in _operations(served_document()) if op[2]["operationId"] == operation]
    documented = any(p["name"] == "Idempotency-Key" for p in described.get("parameters", []))
    assert answers[0].status_code < 300
    refused = answers[1].status_code == 400 and "Idempotency-Key" in answers[1].json["message"]
    assert refused is documented


def test_request_bodies_are_derived_from_the_classes_the_converter_fills():
    schemas = served_document()["components"]["schemas"]
    content = [camel(field.name) for field in attrs.fields(JobContent)]
    assert list(schemas["JobCreate"]["properties"]) == content
    assert list(schemas["JobChanges"]["properties"]) == [*content, "expiryDate"]
    assert "required" not in schemas["JobChanges"]
    assert set(schemas["JobCreate"]["required"]) == {
        "title", "description", "employmentType", "remoteType", "applyMethod"}
    assert schemas["JobCreate"]["properties"]["reference"]["type"] == ["string", "null"]
    assert schemas["JobCreate"]["properties"]["salaryPeriod"] == {"anyOf": [
        {"$ref": "#/components/schemas/SalaryPeriod"}, {"type": "null"}]}
    search = schemas["CandidateSearch"]
    assert list(search["properties"]) == [camel(f.name) for f in attrs.fields(SearchBody)]
    assert (search["required"], search["properties"]["pageSize"]["default"]) == (["query"], 20)
    assert all(s["additionalProperties"] is False
               for s in (schemas["JobCreate"], schemas["JobChanges"], search))


def test_the_response_schemas_list_exactly_the_fields_the_api_sends(api):
    schemas = served_document()["components"]["schemas"]
    job = create_job(api)
    item = api.simulate_get(JOBS).json["items"][0]
    assert list(schemas["Job"]["properties"]) == list(job)
    assert list(schemas["JobListItem"]["properties"]) == list(item)
    root = served_document()
    assert not list(validator(root, {"$ref": "#/components/schemas/Job"}).iter_errors(job))


def test_both_ways_of_sending_a_key_are_declared():
    root = served_document()
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


def _request_schemas(root: dict) -> set[str]:
    """The components request bodies are: strict, unlike everything the API sends."""
    return {
        operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/")[-1]
        for _, _, operation in _operations(root) if "requestBody" in operation
    }


def _enums(root: dict) -> set[str]:
    return {name for name, schema in root["components"]["schemas"].items() if "enum" in schema}


def test_every_enum_is_one_named_component():
    root = served_document()
    inline = [path for path, node in _walk(root)
              if isinstance(node, dict) and "enum" in node and len(path) != 3]
    assert inline == []
    assert {"JobStatus", "EmploymentType", "RemoteType", "ApplyMethod", "SalaryPeriod",
            "ApplicationStatus", "ErrorCode", "HealthStatus", "CheckStatus", "CreditKind",
            "DeliveryStatus", "EventType", "SubscribableEventType"} == _enums(root)


def test_request_bodies_are_closed_and_everything_sent_is_open_to_additions():
    root = served_document()
    requests = _request_schemas(root)
    assert requests == {"JobCreate", "JobChanges", "PublishRequest", "CandidateSearch",
                        "WebhookSubscriptionCreate", "WebhookSubscriptionChanges"}
    enums = {f"#/components/schemas/{name}" for name in _enums(root)}
    for name, schema in root["components"]["schemas"].items():
        if name in requests:
            assert schema["additionalProperties"] is False, name
            continue
        nodes = [node for _, node in _walk(schema) if isinstance(node, dict)]
        assert all(node.get("additionalProperties") is not False for node in nodes), name
        # Every enum an answer carries may carry a value added later, as a plain string.
        used = [node for node in nodes if node.get("$ref") in enums]
        open_ = [member for node in nodes if {"type": "string"} in node.get("anyOf", [])
                 for member in node["anyOf"] if member.get("$ref") in enums]
        assert len(used) == len(open_), name


def test_every_operation_has_one_declared_tag_and_the_servers_are_named():
    root = served_document()
    declared = [tag["name"] for tag in root["tags"]]
    assert declared == ["Jobs", "Applications", "Candidates", "Credits", "Webhooks", "Events",
                        "Reference", "Health"]
    tags = {operation["operationId"]: operation["tags"] for _, _, operation in _operations(root)}
    assert all(len(tag) == 1 and tag[0] in declared for tag in tags.values())
    assert (tags["listApplications"], tags["getJob"], tags["listCountries"], tags["ready"]) == (
        ["Applications"], ["Jobs"], ["Reference"], ["Health"])
    assert tags["listEvents"] == ["Events"]
    assert root["servers"] == [{"url": "/", "description": "The partner API"}]


def test_a_path_without_a_tag_fails_the_build_of_the_document():
    with pytest.raises(KeyError, match="no tag for /api/v1/nowhere"):
        openapi._tagged({"/api/v1/nowhere": {"get": {"operationId": "nowhere"}}})
