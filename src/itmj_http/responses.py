"""Writing JSON responses: compact separators, UTF-8, an explicit content type."""

import json

import falcon

JSON_TYPE = "application/json"
# One encoder for every response: json.dumps builds a new one for each call with options.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def send_json(resp: falcon.Response, body: object, status: int = 200) -> None:
    send_encoded(resp, encode_json(body), status)


def send_encoded(resp: falcon.Response, data: bytes, status: int = 200) -> None:
    resp.status = status
    resp.content_type = JSON_TYPE
    resp.data = data


def encode_json(body: object) -> bytes:
    return _ENCODER.encode(body).encode()
