"""The JSON shape of an application (additive to v1, scope JobPosting), with what its
applicant sent (SPEC §12 "Applicants": free to the employer applied to, no one else)."""

import attrs
import cattrs

from itmj_domain.applications import Applicant, Application
from itmj_domain.pagination import Page

APPLICATION_FIELDS = (
    "id", "jobId", "candidateId", "status", "applicationType", "appliedAt", "updatedAt",
    "applicant",
)
APPLICANT_FIELDS = ("name", "email", "phone", "coverNote", "cvText")


@attrs.frozen
class ApplicationJson:
    converter: cattrs.Converter

    def application(self, application: Application) -> dict[str, object]:
        return {
            "id": application.id,
            "jobId": application.job_id,
            "candidateId": application.candidate_id,
            "status": application.status.value,
            "applicationType": application.application_type.value,
            "appliedAt": self.converter.unstructure(application.applied_at),
            "updatedAt": self.converter.unstructure(
                application.updated_at or application.applied_at
            ),
            "applicant": _applicant(application.applicant),
        }

    def page(
        self, page: Page[Application], next_cursor: str | None = None
    ) -> dict[str, object]:
        shaped: dict[str, object] = {
            "total": page.total,
            "page": page.number,
            "pageSize": page.request.page_size,
            "items": [self.application(application) for application in page.items],
        }
        # Only when a next page exists: the last page, an empty account's included, keeps
        # the v1 shape byte for byte (SPEC §10).
        if next_cursor is not None:
            shaped["nextCursor"] = next_cursor
        return shaped


def _applicant(applicant: Applicant) -> dict[str, object]:
    return {
        "name": applicant.name,
        "email": applicant.email,
        "phone": applicant.phone,
        "coverNote": applicant.cover_note,
        "cvText": applicant.cv_text,
    }
