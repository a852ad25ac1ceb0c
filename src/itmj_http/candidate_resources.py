"""The CV Search endpoints of SPEC §6: parse, call one use case, shape the answer."""

import falcon

from itmj_domain.api_keys import Scope
from itmj_domain.idempotency import StoredResponse
from itmj_domain.rate_limits import LimitedFamily
from itmj_domain.services.cv_search import CvSearch, SearchResult
from itmj_http.auth import employer_id
from itmj_http.candidate_json import CandidateJson
from itmj_http.credit_resources import charge_headers, set_charge_headers
from itmj_http.idempotency import idempotent, json_answer, send
from itmj_http.params import no_params, path_id
from itmj_http.request_body import required_object
from itmj_http.responses import send_json

CANDIDATES_PATH = "/api/v1/candidates"


class CandidateSearchResource:
    scope = Scope.CV_SEARCH
    rate_limited = LimitedFamily.CANDIDATE_SEARCH

    def __init__(self, search: CvSearch, shapes: CandidateJson) -> None:
        self._search = search
        self._shapes = shapes

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        no_params(req)
        request = self._shapes.search_request(required_object(req))
        result = self._search.search(employer_id(req), request, idempotent(req, self._answer))
        send(resp, self._answer(result))

    def _answer(self, result: SearchResult) -> StoredResponse:
        return json_answer(self._shapes.search_result(result), 200, charge_headers(result.charge))


class CandidateResource:
    scope = Scope.CV_SEARCH
    rate_limited = LimitedFamily.CANDIDATE_VIEW

    def __init__(self, search: CvSearch, shapes: CandidateJson) -> None:
        self._search = search
        self._shapes = shapes

    def on_get(self, req: falcon.Request, resp: falcon.Response, candidate_id: str) -> None:
        target = path_id(candidate_id, "candidateId")
        no_params(req)
        view = self._search.view(employer_id(req), target)
        send_json(resp, self._shapes.profile(view))
        set_charge_headers(resp, view.charge)
