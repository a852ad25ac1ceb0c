"""The WSGI application: ``create_app`` wires it from the services it is given.

gunicorn runs ``itmj_http.app:get_app()``, which reads the environment; nothing is built at
import time.
"""

import sys

import falcon

from itmj_adapters import logs
from itmj_adapters.composition import Services, build_services
from itmj_adapters.event_encoder import JsonEventEncoder
from itmj_adapters.settings import Mode, Settings, unknown_variables
from itmj_http import errors, metrics, openapi
from itmj_http.application_json import ApplicationJson
from itmj_http.application_resources import ApplicationResource, ApplicationsResource
from itmj_http.auth import ApiKeyAuth, ScopedResource
from itmj_http.candidate_json import CandidateJson
from itmj_http.candidate_resources import (
    CANDIDATES_PATH,
    CandidateResource,
    CandidateSearchResource,
)
from itmj_http.country_resources import COUNTRIES_PATH, CountriesResource
from itmj_http.credit_resources import CREDITS_PATH, CreditsResource
from itmj_http.event_resources import EVENTS_PATH, EventsResource
from itmj_http.health import LiveResource, ReadyResource
from itmj_http.job_json import JobJson
from itmj_http.job_resources import JOBS_PATH, JobResource, JobsResource, PublishResource
from itmj_http.json_converter import make_converter
from itmj_http.portal import routes as portal
from itmj_http.portal.pages import Pages
from itmj_http.rate_limits import RateLimits, limited_family
from itmj_http.request_ids import RequestIds
from itmj_http.request_scope import RequestScope
from itmj_http.startup import built_or_exit
from itmj_http.transport_security import StrictTransportSecurity
from itmj_http.webhook_json import WebhookJson
from itmj_http.webhook_resources import (
    DELIVERIES_PATH,
    EVENT_TYPES_PATH,
    SUBSCRIPTIONS_PATH,
    DeliveriesResource,
    DisableResource,
    EnableResource,
    EventTypesResource,
    RedeliverResource,
    RotateSecretResource,
    SendTestResource,
    SubscriptionResource,
    SubscriptionsResource,
)


def create_app(services: Services) -> falcon.App:
    # The request scope comes first so that it ends last, after the key's use is recorded.
    scope = [] if services.request_scope is None else [RequestScope(services.request_scope)]
    limits = (
        [] if services.rate_limiter is None
        else [RateLimits(services.rate_limiter, services.rate_policies)]
    )
    # Before the rest, so that its header goes on every answer, a refused key's included.
    transport = (
        [StrictTransportSecurity()] if services.settings.mode is Mode.PRODUCTION else []
    )
    # Switched off for bench/http only (ITMJ_BENCH_NO_REQUEST_IDS), with the access lines.
    observed = (
        [RequestIds(services.served_metrics)] if services.settings.request_ids
        else metrics.middleware(services.served_metrics)
    )
    pages = Pages()
    # Added rather than passed to App(middleware=...), whose annotation leaves mypy no way to
    # tell the request and response types of the components.
    app = falcon.App()
    app.add_middleware([
        *observed,
        *scope, *transport, ApiKeyAuth(services.authenticator), *limits,
        portal.middleware(services, pages),
    ])
    errors.register(app)
    portal.mount(app, services, pages)
    routes = _routes(services)
    for path, resource in routes:
        app.add_route(path, resource)
    metrics.mount(app, services.served_metrics)
    # The document states each limited route's policy: read from the resources themselves.
    policies = {
        path: services.rate_policies[family]
        for path, resource in routes
        if (family := limited_family(resource)) is not None
    }
    app.add_route(openapi.OPENAPI_PATH, openapi.OpenApiResource(
        openapi.document(policies, services.settings.public_url)))
    return app


def _routes(services: Services) -> list[tuple[str, ScopedResource]]:
    shapes = JobJson(make_converter())
    applications = ApplicationJson(shapes.converter)
    candidates = CandidateJson(shapes.converter)
    job = f"{JOBS_PATH}/{{job_id}}"
    return [
        (JOBS_PATH, JobsResource(services.jobs, shapes)),
        (job, JobResource(services.jobs, shapes)),
        (f"{job}/publish", PublishResource(services.jobs, shapes)),
        (f"{job}/applications", ApplicationsResource(services.applications, applications)),
        (f"{job}/applications/{{application_id}}",
         ApplicationResource(services.applications, applications)),
        (f"{CANDIDATES_PATH}/search", CandidateSearchResource(services.cv_search, candidates)),
        (f"{CANDIDATES_PATH}/{{candidate_id}}",
         CandidateResource(services.cv_search, candidates)),
        (COUNTRIES_PATH, CountriesResource(services.countries)),
        (CREDITS_PATH, CreditsResource(services.credits)),
        *_webhook_routes(services, WebhookJson(shapes.converter)),
        (EVENTS_PATH, EventsResource(services.event_log, JsonEventEncoder())),
        ("/healthz/live", LiveResource()),
        ("/healthz/ready", ReadyResource(services.probes, services.advisory_probes)),
    ]


def _webhook_routes(
    services: Services, shapes: WebhookJson
) -> list[tuple[str, ScopedResource]]:
    webhooks = services.webhooks
    subscription = f"{SUBSCRIPTIONS_PATH}/{{subscription_id}}"
    return [
        (SUBSCRIPTIONS_PATH, SubscriptionsResource(webhooks, shapes)),
        (subscription, SubscriptionResource(webhooks, shapes)),
        (f"{subscription}/enable", EnableResource(webhooks, shapes)),
        (f"{subscription}/disable", DisableResource(webhooks, shapes)),
        (f"{subscription}/rotate-secret", RotateSecretResource(webhooks, shapes)),
        (f"{subscription}/test", SendTestResource(webhooks, shapes)),
        (f"{subscription}/deliveries", DeliveriesResource(webhooks, shapes)),
        (f"{DELIVERIES_PATH}/{{delivery_id}}/redeliver", RedeliverResource(webhooks, shapes)),
        (EVENT_TYPES_PATH, EventTypesResource(webhooks, shapes)),
    ]


def get_app() -> falcon.App:
    """The app the environment configures. A bad variable or a database that cannot be used
    stops the server with one line (see ``startup``), not a worker's traceback."""
    for warning in unknown_variables():
        sys.stderr.write(warning + "\n")
    settings = built_or_exit(Settings.from_environ)
    logs.configure(settings)
    return create_app(built_or_exit(lambda: build_services(settings)))
