"""Applications to jobs and the recruiter pipeline of SPEC §7.

``New → Screened → Interviewed → Offered → Hired`` one step at a time, or ``Rejected`` from any
open state; Hired and Rejected are final.
"""

import enum
from datetime import datetime

import attrs

from itmj_domain.errors import InvalidState
from itmj_domain.jobs import ApplyMethod
from itmj_domain.pagination import Position


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
