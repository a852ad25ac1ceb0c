from datetime import UTC, datetime

import pytest

from itmj_domain.applications import Applicant, Application, ApplicationStatus, allowed_moves
from itmj_domain.errors import InvalidInput, InvalidState
from itmj_domain.jobs import ApplyMethod
from tests.refusals import refused

NOW = datetime(2026, 3, 1, tzinfo=UTC)
S = ApplicationStatus


def application(status=S.NEW) -> Application:
    return Application(1, 2, 3, 4, ApplyMethod.EMAIL_APPLY, NOW, status,
                       applicant=Applicant("Pat Example", "pat@example.com"))


def test_the_pipeline_moves_one_step_at_a_time_to_hired():
    app = application()
    for step in (S.SCREENED, S.INTERVIEWED, S.OFFERED, S.HIRED):
        app = app.move(step, NOW)
        assert app.status is step
        assert app.updated_at == NOW


@pytest.mark.parametrize("status", [S.NEW, S.SCREENED, S.INTERVIEWED, S.OFFERED])
def test_any_open_application_can_be_rejected(status):
    assert application(status).move(S.REJECTED, NOW).status is S.REJECTED


@pytest.mark.parametrize(
    ("start", "to"),
    [
        (S.NEW, S.INTERVIEWED),
        (S.NEW, S.HIRED),
        (S.SCREENED, S.NEW),
        (S.OFFERED, S.SCREENED),
        (S.NEW, S.NEW),
        (S.HIRED, S.REJECTED),
        (S.REJECTED, S.NEW),
        (S.REJECTED, S.REJECTED),
    ],
)
def test_every_other_move_is_an_invalid_state(start, to):
    with refused(InvalidState):
        application(start).move(to, NOW)


def test_final_states_allow_no_moves():
    assert allowed_moves(S.HIRED) == frozenset()
    assert allowed_moves(S.REJECTED) == frozenset()


def test_an_applicant_keeps_the_limits_of_what_it_holds():
    assert Applicant("Pat", "pat@example.com", "+1", "Hello", "CV").cv_text == "CV"
    for field, values in {
        "name": {"name": " "},
        "phone": {"phone": "1" * 51},
        "cover_note": {"cover_note": "x" * 2_001},
        "cv_text": {"cv_text": "x" * 20_001},
    }.items():
        with refused(InvalidInput, field=field):
            Applicant(**{"name": "Pat", "email": "pat@example.com", **values})
    assert Applicant("P" * 200, "pat@example.com", cover_note="x" * 2_000,
                     cv_text="x" * 20_000).name == "P" * 200
