"""Domain errors are answered by the nearest class the edge maps, along their MRO: a narrower
error a use case comes to raise is answered as the one it refines, never as a 500."""

import falcon
import pytest
from falcon.testing import TestClient

from itmj_domain.errors import (
    InvalidInput,
    InvalidState,
    NoCredits,
    NotFound,
    PreconditionFailed,
)
from itmj_http import errors


class SalaryAboveRange(InvalidInput):
    pass


class AlreadyClosed(InvalidState):
    pass


class NoSearchCredits(NoCredits):
    pass


class Withdrawn(NotFound):
    pass


class _Raises:
    def __init__(self, error: Exception) -> None:
        self._error = error

    def on_get(self, _req: falcon.Request, _resp: falcon.Response) -> None:
        raise self._error


def _answer(error: Exception) -> tuple[int, object]:
    app = falcon.App()
    errors.register(app)
    app.add_route("/raises", _Raises(error))
    result = TestClient(app).simulate_get("/raises")
    return result.status_code, result.json


@pytest.mark.parametrize(
    ("error", "status", "code"),
    [
        (SalaryAboveRange("must be at most 10000000"), 400, "invalid_request"),
        (AlreadyClosed("the job is closed"), 400, "invalid_state"),
        (NoSearchCredits("no CV search credit"), 402, "no_credits"),
        (Withdrawn("no such job"), 404, "not_found"),
    ],
    ids=lambda value: type(value).__name__ if isinstance(value, Exception) else None,
)
def test_a_subclass_of_a_mapped_error_is_answered_as_the_error_it_refines(error, status, code):
    assert _answer(error) == (status, {"code": code, "message": str(error)})


def test_a_refined_invalid_input_still_names_its_field_in_camel_case():
    error = SalaryAboveRange("must be at most 10000000", field="salary_max")
    assert _answer(error) == (400, {
        "code": "invalid_request", "message": "salaryMax: must be at most 10000000",
        "field": "salaryMax",
    })


def test_a_failed_precondition_is_412_precondition_failed():
    assert _answer(PreconditionFailed("job 1 has changed")) == (
        412, {"code": "precondition_failed", "message": "job 1 has changed"}
    )
