"""Schemathesis fuzzes the v1 contract against the real app on the in-memory backend, from the
document the app serves: no 5xx, no status the document does not list, no body or header
that breaks its schema, no schema-valid request refused for a reason the schema does not
give, no schema-violating request accepted, no call that works without a key.

Settings (checks, operations whose rules JSON Schema cannot state) live in
``schemathesis.toml``, shared with the CLI. Here the run is bounded and derandomized so that
CI stays fast and repeatable; ``ITMJ_FUZZ_EXAMPLES=500`` explores further, with fresh random
inputs each time. The schema is loaded when this module is imported, because schemathesis's
pytest integration parametrizes at collection (``schemathesis.pytest.from_fixture``, which
defers it, fails on pytest 9.2: it reads ``request.node._nodeid``, gone from pytest); the app
is the in-memory one, cheap to build.
"""

import itertools
import os
import tomllib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import attrs
import falcon
import hypothesis
import schemathesis
from falcon.testing import TestClient
from schemathesis.config import SchemathesisConfig

from itmj_adapters import synthetic_candidates
from itmj_adapters.clock import ManualClock
from itmj_adapters.composition import build_services
from itmj_adapters.settings import Settings
from itmj_cli.candidate_lines import read_records
from itmj_cli.demo import JOBS as DEMO_JOBS
from itmj_domain.api_keys import Scope
from itmj_domain.credits import CreditKind
from itmj_domain.idempotency import MAX_KEY_LENGTH
from itmj_http.app import create_app
from itmj_http.idempotency import HEADER as IDEMPOTENCY_HEADER
from itmj_http.openapi import OPENAPI_PATH
from tests.http.test_http_openapi import closed

CONFIG = Path(__file__).parents[2] / "schemathesis.toml"
# A month before the SPEC's example expiry date, so that its publish example is valid.
FUZZ_START = datetime(2026, 5, 1, tzinfo=UTC)
EXPLORE = os.environ.get("ITMJ_FUZZ_EXAMPLES")


# Time that passes after each call: a partner pacing itself within the tightest limit (30
# searches a minute), so the rate limits stay on, with their fields checked, and refuse
# nothing.
PACE = timedelta(seconds=2.5)


@attrs.frozen
class FuzzTarget:
    app: falcon.App
    key: str
    clock: ManualClock


def fuzz_target() -> FuzzTarget:
    """A partner with both scopes and credit that cannot run out, candidates to search and
    view, and a published job with an application, so that ids 1 exist."""
    clock = ManualClock(FUZZ_START)
    built = build_services(Settings(), clock=clock)
    employer = built.accounts.create_employer("Fuzzing Ltd", trusted_partner=True)
    for kind in CreditKind:
        built.credits.grant(employer.id, kind, 1_000_000)
    key = built.accounts.mint_key(employer.id, "fuzz", frozenset(Scope)).plaintext
    built.candidates.import_profiles(read_records(synthetic_candidates.generate(30, 7)))
    job = built.jobs.create(employer.id, DEMO_JOBS[0][0])
    built.jobs.publish(employer.id, job.id)
    built.applications.submit(job.id, candidate_id=1)
    return FuzzTarget(create_app(built), key, clock)


def _config() -> SchemathesisConfig:
    config = SchemathesisConfig.from_dict(tomllib.loads(CONFIG.read_text()))
    if EXPLORE:
        config.projects.default.generation.update(max_examples=int(EXPLORE))
    else:
        config.projects.default.generation.update(deterministic=True)
    return config


class _Current:
    """The fuzz target calls go to: one for the stateless run, a fresh one for each stateful
    scenario, so that a scenario replayed while hypothesis shrinks it meets the same state."""

    target = fuzz_target()

    @classmethod
    def app(cls, environ: dict, start_response) -> object:
        return cls.target.app(environ, start_response)


def _closed_schema() -> schemathesis.schemas.BaseSchema:
    """The document the app serves, closed (``test_http_openapi.closed``): partners' clients
    must take fields and enum values added later, but the fuzzer holds the API to exactly
    what it documents today. Loaded as ``from_wsgi`` loads it, from the app's own answer."""
    served = TestClient(_Current.target.app).simulate_get(OPENAPI_PATH).json
    loaded = schemathesis.openapi.from_dict(closed(served), config=_config())
    loaded.app = _Current.app
    loaded.location = OPENAPI_PATH
    return loaded


schema = _closed_schema()


@schema.auth(refresh_interval=None)
class PartnerKey:
    """The current target's key, as a bearer token: schemathesis knows it for the valid
    credential, and checks that calls without it, or with another, are refused."""

    def get(self, case, context) -> str:
        return _Current.target.key

    def set(self, case, data: str, context) -> None:
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


@schema.hook
def map_body(context, body):
    """JSON Schema cannot say that salaryMin is at most salaryMax: generated pairs are put in
    order (which keeps a body that breaks the schema elsewhere just as broken)."""
    if context.operation.label == "POST /api/v1/jobs" and isinstance(body, dict):
        low, high = body.get("salaryMin"), body.get("salaryMax")
        if _number(low) and _number(high) and low > high:
            return {**body, "salaryMin": high, "salaryMax": low}
    return body


@schema.hook
def map_headers(context, headers):
    """Generated Idempotency-Keys repeat (hypothesis loves "0"), and a key reused with another
    body is rightly refused; a valid key is made unique per call, an invalid one (empty, too
    long) is left as broken as it was."""
    key = (headers or {}).get(IDEMPOTENCY_HEADER)
    if isinstance(key, str) and 1 <= len(key) <= MAX_KEY_LENGTH:
        unique = f"{next(_CALLS)}-{key}"[:MAX_KEY_LENGTH]
        return {**headers, IDEMPOTENCY_HEADER: unique}
    return headers


_CALLS = itertools.count()


@schema.hook
def after_call(context, case, response) -> None:
    _Current.target.clock.advance(PACE)


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


@schema.parametrize()
def test_every_operation_keeps_its_contract(case):
    case.call_and_validate()


class Workflow(schema.as_state_machine()):
    def setup(self) -> None:
        _Current.target = fuzz_target()


TestStatefulWorkflow = Workflow.TestCase
TestStatefulWorkflow.settings = hypothesis.settings(
    TestStatefulWorkflow.settings,
    max_examples=int(EXPLORE or 10),
    stateful_step_count=6,
    derandomize=not EXPLORE,
    deadline=None,
)
