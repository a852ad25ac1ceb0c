"""The OpenAPI document describes every route and the very shapes the API sends."""

import re

import falcon.inspect

from itmj_domain.jobs import JobContent
from tests.http.support import JOBS, create_job

SPEC = "/swagger/v1/swagger.json"


def _template(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", path)


def _resolve(document: dict, ref: str) -> dict:
    node = document
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    return node


def _refs(node: object):
    if isinstance(node, dict):
        if "$ref" in node:
            yield node["$ref"]
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def test_every_route_and_method_of_the_app_is_described(client):
    document = client.simulate_get(SPEC).json
    described = {
        (_template(path), method.upper())
        for path, item in document["paths"].items()
        for method in item if method != "parameters"
    }
    served = {
        (_template(route.path), method.method)
        for route in falcon.inspect.inspect_routes(client.app)
        for method in route.methods if not method.internal
    }
    assert described == served


def test_every_reference_resolves(client):
    document = client.simulate_get(SPEC).json
    assert document["openapi"].startswith("3.")
    for ref in _refs(document):
        assert _resolve(document, ref)


def test_the_schemas_list_exactly_the_fields_the_api_sends(api):
    document = api.simulate_get(SPEC).json
    schemas = document["components"]["schemas"]
    job = create_job(api)
    item = api.simulate_get(JOBS).json["items"][0]
    assert list(schemas["Job"]["properties"]) == list(job)
    assert list(schemas["JobListItem"]["properties"]) == list(item)
    assert set(schemas["JobCreate"]["properties"]) == set(schemas["JobChanges"]["properties"])
    assert len(schemas["JobCreate"]["properties"]) == len(JobContent.__attrs_attrs__)
    assert set(schemas["JobCreate"]["required"]) == {
        "title", "description", "employmentType", "remoteType", "applyMethod"}


def test_both_ways_of_sending_a_key_are_declared(client):
    document = client.simulate_get(SPEC).json
    schemes = document["components"]["securitySchemes"]
    assert schemes["bearerKey"] == {"type": "http", "scheme": "bearer",
                                    "description": "Authorization: Bearer pk_live_..."}
    assert (schemes["headerKey"]["in"], schemes["headerKey"]["name"]) == ("header", "X-Api-Key")
