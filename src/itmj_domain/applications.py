"""Applications to jobs and the recruiter pipeline of SPEC §7.

``New → Screened → Interviewed → Offered → Hired`` one step at a time, or ``Rejected`` from any
open state; Hired and Rejected are final.

Each application keeps what the applicant sent with it (``Applicant``): the employer applied
to reads that, and only that, whatever the candidate's platform-wide profile becomes later
(another application may replace its CV, for another employer to read).
"""

import enum
from datetime import datetime
from functools import partial

import attrs

from itmj_domain.errors import InvalidInput, InvalidState
from itmj_domain.jobs import ApplyMethod
from itmj_domain.pagination import Position

MAX_APPLICANT_NAME = 200
MAX_APPLICANT_EMAIL = 320
MAX_APPLICANT_PHONE = 50
MAX_COVER_NOTE = 2_000
# The candidate profile's summary holds the CV text, so it keeps the summary's limit.
MAX_CV_TEXT = 20_000


def _at_most(limit: int, _instance: object, attribute: "attrs.Attribute[str | None]",
             value: str | None) -> None:
    if value is not None and len(value) > limit:
        raise InvalidInput(
            f"{attribute.name.replace('_', ' ')} must be at most {limit} characters",
            field=attribute.name,
        )


@attrs.frozen
class Applicant:
    """Who applied and what they sent: the candidate profile's name, email and phone as the
    application gave them, a cover note and the CV's text (None when not sent, as for an
    application filed by platform staff for a known candidate)."""

    name: str = attrs.field(validator=partial(_at_most, MAX_APPLICANT_NAME))
    email: str = attrs.field(validator=partial(_at_most, MAX_APPLICANT_EMAIL))
    phone: str | None = attrs.field(default=None,
                                    validator=partial(_at_most, MAX_APPLICANT_PHONE))
    cover_note: str | None = attrs.field(default=None,
                                         validator=partial(_at_most, MAX_COVER_NOTE))
    cv_text: str | None = attrs.field(default=None, validator=partial(_at_most, MAX_CV_TEXT))

    def __attrs_post_init__(self) -> None:
        if not self.name.strip():
            raise InvalidInput("name must not be blank", field="name")


class ApplicationStatus(enum.Enum):
    NEW = "New"
    SCREENED = "Screened"
    INTERVIEWED = "Interviewed"
    OFFERED = "Offered"
    HIRED = "Hired"
    REJECTED = "Rejected"


PIPELINE = (
    ApplicationStatus.NEW,
    ApplicationStatus.SCREENED,
    ApplicationStatus.INTERVIEWED,
    ApplicationStatus.OFFERED,
    ApplicationStatus.HIRED,
)
FINAL = frozenset({ApplicationStatus.HIRED, ApplicationStatus.REJECTED})


def allowed_moves(status: ApplicationStatus) -> frozenset[ApplicationStatus]:
    if status in FINAL:
        return frozenset()
    following = PIPELINE[PIPELINE.index(status) + 1]
    return frozenset({following, ApplicationStatus.REJECTED})


@attrs.frozen
class Application:
    id: int
    employer_id: int
    job_id: int
    candidate_id: int
    application_type: ApplyMethod
    applied_at: datetime
    status: ApplicationStatus = ApplicationStatus.NEW
    updated_at: datetime | None = None
    # Keyword-only so that it adds to the constructor without moving its positions.
    applicant: Applicant = attrs.field(kw_only=True)

    @property
    def position(self) -> Position:
        """Where the application stands in its job's list, newest first."""
        return Position(self.applied_at, self.id)

    @property
    def last_changed(self) -> datetime:
        """When it last changed: its application, until it first moves."""
        return self.updated_at or self.applied_at

    def move(self, to: ApplicationStatus, now: datetime) -> "Application":
        if to not in allowed_moves(self.status):
            raise InvalidState(
                f"an application cannot move from {self.status.value} to {to.value}"
            )
        return attrs.evolve(self, status=to, updated_at=now)
