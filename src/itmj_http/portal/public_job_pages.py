"""The public job pages (SPEC §11): ``/jobs``, every employer's open jobs, and ``/jobs/{id}``,
one of them with its way to apply. Server-rendered like the portal, with its sessions and
CSRF tokens, and without an account: anyone may read and apply.

A job that is not open (a draft, expired, inactive, or none at all) is the same 404 page.
"""

import falcon

from itmj_domain.errors import InvalidInput, NotFound
from itmj_domain.jobs import OpenJobSearch
from itmj_domain.pagination import PageRequest
from itmj_domain.services.job_board import (
    MAX_CV_BYTES,
    AlreadyApplied,
    ApplicationForm,
    JobBoard,
    OpenJob,
)
from itmj_domain.services.portal_accounts import TooManyAttempts
from itmj_domain.sessions import FlashLevel
from itmj_http.portal.actions import page_number, sentence
from itmj_http.portal.context import PortalContext
from itmj_http.portal.middleware import PortalResource
from itmj_http.portal.pages import Pages, paging

JOBS_PATH = "/jobs"
PAGE_SIZE = 20
# How the pages name the values of a job's enums.
TERMS = {
    "FullTime": "Full time", "PartTime": "Part time", "Contract": "Contract",
    "Temporary": "Temporary", "Internship": "Internship", "OnSite": "On site",
    "HybridRemote": "Hybrid remote", "FullyRemote": "Fully remote",
}
_FORM_FIELDS = ("name", "email", "phone", "cover_note", "cv_text")
_FIELDS_WITH_ERRORS = {*_FORM_FIELDS, "cv"}


class JobList(PortalResource):
    def __init__(self, board: JobBoard, pages: Pages) -> None:
        self._board = board
        self._pages = pages

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        keywords, country = req.get_param("q") or "", req.get_param("country") or ""
        problem: str | None = None
        try:
            search = OpenJobSearch.of(keywords, country)
        except InvalidInput as error:
            search, problem = OpenJobSearch(), sentence(error.message)
        found = self._board.search(search, PageRequest(page_number(req), PAGE_SIZE))
        query = "".join(f"&{name}={falcon.uri.encode_value(value)}"
                        for name, value in (("q", keywords), ("country", country)) if value)
        self._pages.render(
            req, resp, "public/jobs.html", status=200 if problem is None else 400,
            jobs=found.items,
            countries=self._board.countries(), keywords=keywords, country=country,
            problem=problem, query=query, terms=TERMS, **paging(found),
        )


class JobPage(PortalResource):
    """A job and, for a PortalApply job, its apply form (``POST`` here)."""

    max_upload_bytes = 2 * MAX_CV_BYTES

    def __init__(self, board: JobBoard, pages: Pages) -> None:
        self._board = board
        self._pages = pages

    def on_get(self, req: falcon.Request, resp: falcon.Response, job_id: int) -> None:
        offered = self._open(req, resp, job_id)
        if offered is not None:
            self._show(req, resp, offered, values={}, errors={})

    def on_post(self, req: falcon.Request, resp: falcon.Response, job_id: int) -> None:
        portal: PortalContext = req.context.portal
        form = portal.form
        values = {name: form.get(name) for name in _FORM_FIELDS}
        try:
            application = self._board.apply(job_id, ApplicationForm(
                name=values["name"], email=values["email"], phone=values["phone"],
                cover_note=values["cover_note"], cv_file=form.file("cv"),
                cv_text=values["cv_text"],
            ), req.remote_addr)
        except NotFound:
            self._gone(req, resp)
            return
        except InvalidInput as error:
            field = error.field if error.field in _FIELDS_WITH_ERRORS else "cv"
            self._retry(req, resp, job_id, values, {field: sentence(error.message)}, 400)
            return
        except TooManyAttempts as refusal:
            resp.retry_after = refusal.retry_after_seconds
            self._retry(req, resp, job_id, values, {}, 429, sentence(refusal.message))
            return
        except AlreadyApplied:
            portal.flash(FlashLevel.SUCCESS, "You have already applied to this job with this "
                         "email address. Your first application stands; nothing was changed.")
            raise falcon.HTTPSeeOther(f"{JOBS_PATH}/{job_id}") from None
        portal.flash(FlashLevel.SUCCESS, f"Thank you, {application.applicant.name}: your "
                     "application is sent.")
        raise falcon.HTTPSeeOther(f"{JOBS_PATH}/{job_id}")

    def _open(self, req: falcon.Request, resp: falcon.Response, job_id: int
              ) -> OpenJob | None:
        try:
            return self._board.job(job_id)
        except NotFound:
            self._gone(req, resp)
            return None

    def _retry(self, req: falcon.Request, resp: falcon.Response, job_id: int,
               values: dict[str, str], errors: dict[str, str], status: int,
               problem: str | None = None) -> None:
        offered = self._open(req, resp, job_id)
        if offered is not None:
            self._show(req, resp, offered, values, errors, status, problem)

    def _show(self, req: falcon.Request, resp: falcon.Response, offered: OpenJob,
              values: dict[str, str], errors: dict[str, str], status: int = 200,
              problem: str | None = None) -> None:
        self._pages.render(
            req, resp, "public/job.html", status=status, offered=offered, job=offered.job,
            values=values, errors=errors, problem=problem, terms=TERMS,
            max_cv_megabytes=MAX_CV_BYTES // (1024 * 1024),
        )

    def _gone(self, req: falcon.Request, resp: falcon.Response) -> None:
        self._pages.render(req, resp, "public/gone.html", status=404)


def mount(app: falcon.App, board: JobBoard, pages: Pages) -> None:
    app.add_route(JOBS_PATH, JobList(board, pages))
    app.add_route(f"{JOBS_PATH}/{{job_id:int}}", JobPage(board, pages))
