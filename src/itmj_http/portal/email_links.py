"""Where the links in the portal's emails (password resets, invitations) point.

A link built from the request's own address would let anyone who can send a request choose,
through its Host header, where a victim's reset link leads (reset poisoning). In production
only ``ITMJ_PUBLIC_URL`` is trusted; without it no such email is sent, the page answers 503
and the log names the variable. Development and demo, reached at whatever address the
developer uses, fall back to the request's own.
"""

import logging

import attrs
import falcon

from itmj_adapters.settings import Mode, Settings
from itmj_http.errors import route

log = logging.getLogger(__name__)


@attrs.frozen
class EmailLinks:
    public_url: str | None
    trust_request: bool

    @classmethod
    def of(cls, settings: Settings) -> "EmailLinks":
        return cls(settings.public_url, trust_request=settings.mode is not Mode.PRODUCTION)

    def base(self, req: falcon.Request) -> str:
        if self.public_url:
            return self.public_url
        if self.trust_request:
            return req.prefix
        log.error("%s %s refused: ITMJ_PUBLIC_URL is not set, and in production the links "
                  "in emails are never built from the request's Host header", req.method,
                  route(req))
        raise falcon.HTTPServiceUnavailable()
