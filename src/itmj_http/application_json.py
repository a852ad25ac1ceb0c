"""The JSON shape of an application (additive to v1, scope JobPosting)."""

import attrs
import cattrs

from itmj_domain.applications import Application
from itmj_domain.pagination import Page

APPLICATION_FIELDS = (
    "id", "jobId", "candidateId", "status", "applicationType", "appliedAt", "updatedAt",
)


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
        }

    def page(self, page: Page[Application]) -> dict[str, object]:
        return {
            "total": page.total,
            "page": page.request.page,
            "pageSize": page.request.page_size,
            "items": [self.application(application) for application in page.items],
        }
