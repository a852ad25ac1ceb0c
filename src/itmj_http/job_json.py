"""The JSON shapes of the Job Posting API (SPEC §5), in both directions.

A job is flat in JSON although the domain keeps its content apart; list items are the same
object without the description.
"""

from datetime import datetime
from typing import Any, cast, get_type_hints

import attrs
import cattrs

from itmj_adapters.json_style import camel, format_timestamp
from itmj_domain.jobs import ContentChanges, JobContent, JobPost
from itmj_domain.pagination import Page
from itmj_http.json_converter import (
    FieldError,
    InvalidJson,
    echo_name,
    structure,
)

JOB_FIELDS = (
    "id", "status", "title", "reference", "description", "city", "country", "employmentType",
    "remoteType", "applyMethod", "applyEmailAddress", "applyUrl", "salaryMin", "salaryMax",
    "salaryCurrency", "salaryPeriod", "postedDate", "expiryDate", "createdAt", "updatedAt",
)
LIST_ITEM_FIELDS = tuple(name for name in JOB_FIELDS if name != "description")
_CONTENT_FIELDS = {camel(a.name): a for a in attrs.fields(JobContent)}
_CHANGE_TYPES = get_type_hints(ContentChanges)
_EXPIRY = "expiryDate"
_READ_ONLY_FIELDS = frozenset(JOB_FIELDS) - set(_CONTENT_FIELDS) - {_EXPIRY}


@attrs.frozen
class PublishRequest:
    expiry_date: datetime | None = None


@attrs.frozen
class JobUpdate:
    """What a PUT changes: content fields, and the expiry date of an Active job."""

    content: ContentChanges
    expiry_date: datetime | None = None


@attrs.frozen
class JobJson:
    converter: cattrs.Converter

    def content(self, data: object) -> JobContent:
        return structure(self.converter, data, JobContent)

    def publish_request(self, data: object) -> PublishRequest:
        return structure(self.converter, data, PublishRequest)

    def changes(self, data: dict[str, Any]) -> JobUpdate:
        """The content fields a PUT sends, by domain attribute name, and its
        ``expiryDate``; ``null`` clears an optional field and cannot clear a required one,
        nor the expiry date an Active job always has."""
        if not data:
            raise InvalidJson("body: name at least one field to change")
        changes: dict[str, object] = {}
        expiry_date: datetime | None = None
        problems: list[tuple[str | None, str]] = []
        for key, value in data.items():
            field = _CONTENT_FIELDS.get(key)
            if key == _EXPIRY:
                try:
                    expiry_date = self._expiry(value)
                except FieldError as error:
                    problems.append((key, str(error)))
            elif field is None:
                why = "cannot be changed" if key in _READ_ONLY_FIELDS else "unknown field"
                problems.append((echo_name(key), why))
            elif value is None:
                if field.default is attrs.NOTHING:
                    problems.append((key, "required field cannot be null"))
                else:
                    changes[field.name] = None
            else:
                try:
                    changes[field.name] = self.converter.structure(
                        value, _CHANGE_TYPES[field.name]
                    )
                except FieldError as error:
                    problems.append((key, str(error)))
        if problems:
            raise InvalidJson.of(problems)
        # Each key names a field of ContentChanges, and each value was structured as its type.
        return JobUpdate(cast(ContentChanges, changes), expiry_date)

    def _expiry(self, value: object) -> datetime:
        if value is None:
            raise FieldError("cannot be null: an Active job always has an expiry date")
        return self.converter.structure(value, datetime)

    def job(self, job: JobPost) -> dict[str, object]:
        """The fields in JOB_FIELDS order, written out rather than unstructured by the
        converter and reordered: every read shapes a job, and this is several times cheaper.
        The tests hold it to the converter's names and values."""
        c = job.content
        return {
            "id": job.id,
            "status": job.status.value,
            "title": c.title,
            "reference": c.reference,
            "description": c.description,
            "city": c.city,
            "country": c.country,
            "employmentType": c.employment_type.value,
            "remoteType": c.remote_type.value,
            "applyMethod": c.apply_method.value,
            "applyEmailAddress": c.apply_email_address,
            "applyUrl": c.apply_url,
            "salaryMin": c.salary_min,
            "salaryMax": c.salary_max,
            "salaryCurrency": c.salary_currency,
            "salaryPeriod": None if c.salary_period is None else c.salary_period.value,
            "postedDate": _optional_timestamp(job.posted_date),
            "expiryDate": _optional_timestamp(job.expiry_date),
            "createdAt": format_timestamp(job.created_at),
            "updatedAt": format_timestamp(job.updated_at),
        }

    def page(self, page: Page[JobPost], next_cursor: str | None = None) -> dict[str, object]:
        shaped: dict[str, object] = {
            "total": page.total,
            "page": page.number,
            "pageSize": page.request.page_size,
            "items": [self._list_item(job) for job in page.items],
        }
        # Only when a next page exists: the last page, an empty account's included, keeps
        # the v1 shape byte for byte (SPEC §10).
        if next_cursor is not None:
            shaped["nextCursor"] = next_cursor
        return shaped

    def _list_item(self, job: JobPost) -> dict[str, object]:
        shaped = self.job(job)
        return {name: shaped[name] for name in LIST_ITEM_FIELDS}


def _optional_timestamp(instant: datetime | None) -> str | None:
    return None if instant is None else format_timestamp(instant)
