"""Rate limits at the edge (SPEC §8), checked after authentication and before any resource
runs, so a refused request has read, written and charged nothing.

A resource states the family it belongs to as ``rate_limited`` (a ``LimitedFamily``; None or
absent for unlimited endpoints). Every response of a limited family carries the IETF draft
fields (draft-ietf-httpapi-ratelimit-headers): ``RateLimit-Policy: "jobs";q=100;w=60`` and
``RateLimit: "jobs";r=<remaining>;t=<seconds>``, where ``t`` is the seconds until the whole
quota is available again or, on a 429, the same whole seconds as ``Retry-After`` (the draft
asks that Retry-After not end before the effective window). When the limiter cannot count
(Redis down, failing open) the request is served with the policy field only: the draft lets a
server leave ``RateLimit`` out, and a made-up figure would mislead.
"""

from collections.abc import Mapping

import falcon

from itmj_domain.rate_limits import LimitedFamily, RateLimiter, RateLimitPolicy
from itmj_http.errors import ApiError


def limited_family(resource: object) -> LimitedFamily | None:
    """The family ``resource`` states; None when it states none."""
    family: LimitedFamily | None = getattr(resource, "rate_limited", None)
    return family


class RateLimits:
    """Registered after ``ApiKeyAuth``: its ``process_resource`` runs once the key is known."""

    def __init__(
        self, limiter: RateLimiter, policies: Mapping[LimitedFamily, RateLimitPolicy]
    ) -> None:
        self._limiter = limiter
        self._policies = {
            family: (policy, policy_field(policy)) for family, policy in policies.items()
        }
        # Each resource's policy and field (None: not limited), found on its first request.
        # Resources live as long as the app, and one lookup by identity is the cheapest that
        # every request can pay (a family is an enum, whose hash runs in Python).
        self._by_resource: dict[object, tuple[RateLimitPolicy, str] | None] = {}

    def process_resource(
        self, req: falcon.Request, resp: falcon.Response, resource: object, _params: dict
    ) -> None:
        try:
            limited = self._by_resource[resource]
        except KeyError:
            family = limited_family(resource)
            limited = self._by_resource[resource] = (
                None if family is None else self._policies[family]
            )
        if limited is None:
            return
        key = req.context.get("api_key")
        if key is None:
            return
        policy, field = limited
        decision = self._limiter.hit(policy, str(key.id))
        resp.set_header("RateLimit-Policy", field)
        if not decision.enforced:
            return
        if decision.allowed:
            resp.set_header(
                "RateLimit", f'"{policy.name}";r={decision.remaining};t={decision.reset_seconds}'
            )
            return
        retry_after = decision.retry_after_seconds
        raise ApiError(
            429, "rate_limited",
            f"more than {policy.limit} requests in {policy.period_seconds} seconds with this "
            f"API key; retry after {retry_after} seconds",
            headers={
                "RateLimit": f'"{policy.name}";r=0;t={retry_after}',
                "Retry-After": str(retry_after),
            },
        )


def policy_field(policy: RateLimitPolicy) -> str:
    """The ``RateLimit-Policy`` field of ``policy`` (the OpenAPI document states it too)."""
    return f'"{policy.name}";q={policy.limit};w={policy.period_seconds}'
