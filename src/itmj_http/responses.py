"""Writing JSON responses: compact separators, UTF-8, an explicit content type."""

import json

import falcon

JSON_TYPE = "application/json"


def send_json(resp: falcon.Response, body: object, status: int = 200) -> None:
    resp.status = status
    resp.content_type = JSON_TYPE
    resp.data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
