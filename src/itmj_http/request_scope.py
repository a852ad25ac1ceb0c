"""Each API request runs inside the services' request scope, opened before authentication
and closed after everything else: its units of work then share what the backend lets them
share (on PostgreSQL, one pooled connection instead of one each)."""

from collections.abc import Callable
from contextlib import AbstractContextManager

import falcon


class RequestScope:
    """Registered first, so that its ``process_response`` runs last, after the one that
    records the key's use."""

    def __init__(self, open_scope: Callable[[], AbstractContextManager[object]]) -> None:
        self._open_scope = open_scope

    def process_request(self, req: falcon.Request, _resp: falcon.Response) -> None:
        scope = self._open_scope()
        scope.__enter__()
        req.context.request_scope = scope

    def process_response(
        self, req: falcon.Request, _resp: falcon.Response, _resource: object, _succeeded: bool
    ) -> None:
        scope = req.context.get("request_scope")
        if scope is not None:
            scope.__exit__(None, None, None)
