"""The WSGI application: ``create_app`` wires it from the services it is given.

gunicorn runs ``itmj_http.app:get_app()``, which reads the environment; nothing is built at
import time.
"""

import falcon

from itmj_adapters.composition import Services, build_services
from itmj_adapters.settings import Settings
from itmj_http import errors, openapi
from itmj_http.application_json import ApplicationJson
from itmj_http.application_resources import ApplicationResource, ApplicationsResource
from itmj_http.auth import ApiKeyAuth
from itmj_http.candidate_json import CandidateJson
from itmj_http.candidate_resources import (
    CANDIDATES_PATH,
    CandidateResource,
    CandidateSearchResource,
)
from itmj_http.country_resources import COUNTRIES_PATH, CountriesResource
from itmj_http.health import LiveResource, ReadyResource
from itmj_http.job_json import JobJson
from itmj_http.job_resources import JOBS_PATH, JobResource, JobsResource, PublishResource
from itmj_http.json_converter import make_converter
from itmj_http.portal import routes as portal
from itmj_http.portal.pages import Pages
from itmj_http.rate_limits import RateLimits
from itmj_http.request_scope import RequestScope


def create_app(services: Services) -> falcon.App:
    # The request scope comes first so that it ends last, after the key's use is recorded.
    scope = [] if services.request_scope is None else [RequestScope(services.request_scope)]
    limits = (
        [] if services.rate_limiter is None
        else [RateLimits(services.rate_limiter, services.rate_policies)]
    )
    pages = Pages()
    app = falcon.App(middleware=[
        *scope, ApiKeyAuth(services.authenticator), *limits, portal.middleware(services, pages),
    ])
    errors.register(app)
    portal.mount(app, services, pages)
    shapes = JobJson(make_converter())
    app.add_route(JOBS_PATH, JobsResource(services.jobs, shapes))
    app.add_route(f"{JOBS_PATH}/{{job_id}}", JobResource(services.jobs, shapes))
    app.add_route(f"{JOBS_PATH}/{{job_id}}/publish", PublishResource(services.jobs, shapes))
    applications = ApplicationJson(shapes.converter)
    app.add_route(
        f"{JOBS_PATH}/{{job_id}}/applications",
        ApplicationsResource(services.applications, applications),
    )
    app.add_route(
        f"{JOBS_PATH}/{{job_id}}/applications/{{application_id}}",
        ApplicationResource(services.applications, applications),
    )
    candidates = CandidateJson(shapes.converter)
    app.add_route(
        f"{CANDIDATES_PATH}/search", CandidateSearchResource(services.cv_search, candidates)
    )
    app.add_route(
        f"{CANDIDATES_PATH}/{{candidate_id}}", CandidateResource(services.cv_search, candidates)
    )
    app.add_route(COUNTRIES_PATH, CountriesResource(services.countries))
    app.add_route("/healthz/live", LiveResource())
    app.add_route("/healthz/ready", ReadyResource(services.probes, services.advisory_probes))
    app.add_route(openapi.OPENAPI_PATH, openapi.OpenApiResource(openapi.document()))
    return app


def get_app() -> falcon.App:
    return create_app(build_services(Settings.from_environ()))
