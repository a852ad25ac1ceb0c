"""Run by test_core_install in a fresh venv holding the core install alone (no extras): the
domain, the in-memory services, a use case, the testing kit, and the one line each missing
extra gives. Prints a JSON report; imports nothing from the tests."""

import json
import sys
from datetime import timedelta

from itmj_adapters.composition import build_services
from itmj_adapters.extras import MissingExtra
from itmj_adapters.settings import Settings
from itmj_adapters.testing import ManualClock, RecordingSender, run_due
from itmj_domain.credits import CreditKind
from itmj_domain.jobs import ApplyMethod, EmploymentType, JobContent, RemoteType
from itmj_domain.search.parser import parse_query
from itmj_domain.webhooks.subscriptions import EventType

DRIVERS = (
    "psycopg", "psycopg_pool", "redis", "rq", "elasticsearch", "elastic_transport", "falcon",
    "gunicorn", "jinja2", "argon2",
)


def missing_extra(**settings: str) -> str:
    try:
        build_services(Settings(**settings)).close()
    except MissingExtra as error:
        return str(error)
    return "built"


clock, partner = ManualClock(), RecordingSender()
services = build_services(Settings(), clock=clock, webhook_sender=partner)
employer = services.accounts.create_employer("Acme")
services.webhooks.subscribe(
    employer.id, "https://partner.example/hook", frozenset({EventType.JOB_EXPIRED})
)
services.credits.grant(employer.id, CreditKind.JOB_POSTING, 1)
draft = services.jobs.create(employer.id, JobContent(
    title="Service Desk Lead", description="Lead it.",
    employment_type=EmploymentType.FULL_TIME, remote_type=RemoteType.ON_SITE,
    apply_method=ApplyMethod.PORTAL_APPLY,
))
published = services.jobs.publish(employer.id, draft.id)
expired = run_due(services, advance=timedelta(days=31))
parse_query("headline:lead AND NOT city:Leeds")
try:
    hashed = services.portal_accounts.hasher.hash("a password")
except MissingExtra as error:
    hashed = str(error)
services.close()

json.dump({
    "status": published.status.value,
    "expired": [job.id for job in expired.jobs],
    "webhooks": partner.events,
    "drivers": sorted(name for name in DRIVERS if name in sys.modules),
    "postgres": missing_extra(database_url="postgresql://nobody@127.0.0.1:1/none"),
    "redis": missing_extra(redis_url="redis://127.0.0.1:1/0"),
    "elasticsearch": missing_extra(elasticsearch_url="http://127.0.0.1:1"),
    "hasher": hashed,
}, sys.stdout)
