"""The job JSON is written out field by field for speed; it must say exactly what the
converter would say of the same job, in SPEC §5's order."""

from datetime import UTC, datetime, timedelta, timezone

import attrs
import pytest

from itmj_adapters.json_style import format_timestamp
from itmj_domain.jobs import (
    ApplyMethod,
    EmploymentType,
    JobContent,
    JobPost,
    RemoteType,
    SalaryPeriod,
)
from itmj_http.job_json import JOB_FIELDS, JobJson
from itmj_http.json_converter import make_converter

NOW = datetime(2026, 3, 14, 9, 26, 53, 589793, tzinfo=UTC)
MINIMAL = JobContent(
    title="IT Manager",
    description="Run the service desk.",
    employment_type=EmploymentType.PART_TIME,
    remote_type=RemoteType.FULLY_REMOTE,
    apply_method=ApplyMethod.PORTAL_APPLY,
)
FULL = JobContent(
    title="Head of IT",
    description="Lead the team — and the budget.",
    employment_type=EmploymentType.CONTRACT,
    remote_type=RemoteType.HYBRID_REMOTE,
    apply_method=ApplyMethod.URL_APPLY,
    reference="ATS-7",
    city="Leeds",
    country="United Kingdom",
    apply_url="https://acme.example/apply",
    salary_min=60000,
    salary_max=75000,
    salary_currency="GBP",
    salary_period=SalaryPeriod.YEAR,
)
JOBS = [
    JobPost.draft(1, 2, MINIMAL, NOW),
    JobPost.draft(3, 2, FULL, NOW).publish(NOW + timedelta(hours=1)),
    attrs.evolve(JobPost.draft(4, 2, FULL, NOW), content=attrs.evolve(FULL, salary_period=None)),
]


@pytest.mark.parametrize("job", JOBS, ids=["minimal draft", "full active", "no period"])
def test_a_job_says_what_the_converter_says_in_spec_order(job):
    converter = make_converter()
    expected = {
        "id": job.id,
        "status": job.status.value,
        **converter.unstructure(job.content),
        "postedDate": converter.unstructure(job.posted_date),
        "expiryDate": converter.unstructure(job.expiry_date),
        "createdAt": converter.unstructure(job.created_at),
        "updatedAt": converter.unstructure(job.updated_at),
    }
    shaped = JobJson(converter).job(job)
    assert shaped == expected
    assert tuple(shaped) == JOB_FIELDS


@pytest.mark.parametrize(
    "instant",
    [
        NOW,
        datetime(2026, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
        datetime(2027, 1, 1, 1, 30, tzinfo=timezone(timedelta(hours=2))),
        datetime(2026, 6, 1, tzinfo=timezone(timedelta(hours=-9, minutes=-30))),
    ],
)
def test_timestamps_are_utc_to_the_second(instant):
    assert format_timestamp(instant) == instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_a_timestamp_always_has_a_four_digit_year_and_reads_back():
    early = datetime(999, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert format_timestamp(early) == "0999-01-02T03:04:05Z"
    assert make_converter().structure(format_timestamp(early), datetime) == early
