"""A stand-in for an Elasticsearch cluster, plugged into the official client as its node class:
it records every request the client sends and answers from a script, so tests see the exact
bytes on the wire without a cluster."""

import json
from collections.abc import Callable
from typing import Any

from elastic_transport import ApiResponseMeta, BaseNode, HttpHeaders, NodeConfig
from elastic_transport import ConnectionError as TransportConnectionError
from elastic_transport._node import NodeApiResponse

from elasticsearch import Elasticsearch

Answer = tuple[int, Any]


class FakeCluster:
    def __init__(self) -> None:
        self.down = False
        self.requests: list[tuple[str, str, Any]] = []
        # Per request: the headers the client sent and the node's configuration.
        self.sent: list[tuple[Any, NodeConfig]] = []
        self._answers: dict[tuple[str, str], Callable[[Any], Answer]] = {}

    def answer(self, method: str, path: str, respond: Callable[[Any], Answer]) -> None:
        """Answer ``method path`` (the path without its query string) with ``respond(body)``."""
        self._answers[method, path] = respond

    def client(self, url: str = "http://cluster.invalid:9200", **options: Any) -> Elasticsearch:
        cluster = self

        class Node(BaseNode):
            def perform_request(self, method, target, body=None, headers=None, **_):
                cluster.sent.append((headers, self.config))
                return cluster.handle(self.config, method, target, body)

        return Elasticsearch(url, node_class=Node, **options)

    def handle(self, node: NodeConfig, method: str, target: str, body: bytes | None):
        if self.down:
            raise TransportConnectionError("connection refused")
        path = target.partition("?")[0]
        parsed = _decode(body)
        self.requests.append((method, target, parsed))
        respond = self._answers.get((method, path))
        status, payload = respond(parsed) if respond else (404, {"error": "no such route"})
        headers = HttpHeaders(
            {"x-elastic-product": "Elasticsearch", "content-type": "application/json"}
        )
        meta = ApiResponseMeta(status, "1.1", headers, 0.0, node)
        return NodeApiResponse(meta, b"" if method == "HEAD" else json.dumps(payload).encode())


def _decode(body: bytes | None) -> Any:
    if not body:
        return None
    text = body.decode()
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return [json.loads(line) for line in text.splitlines() if line]
