from datetime import UTC, datetime, timedelta
from typing import get_type_hints

import attrs
import pytest

from itmj_domain.errors import InvalidInput, InvalidState
from itmj_domain.jobs import (
    ApplyMethod,
    ContentChanges,
    EmploymentType,
    JobContent,
    JobPost,
    JobStatus,
    RemoteType,
)
from tests.refusals import refused

NOW = datetime(2026, 3, 1, tzinfo=UTC)


def content(**overrides) -> JobContent:
    fields = {
        "title": "IT Manager",
        "description": "Run the service desk.",
        "employment_type": EmploymentType.FULL_TIME,
        "remote_type": RemoteType.HYBRID_REMOTE,
        "apply_method": ApplyMethod.EMAIL_APPLY,
        "apply_email_address": "jobs@example.com",
    }
    return JobContent(**{**fields, **overrides})


def draft() -> JobPost:
    return JobPost.draft(1, 9, content(), NOW)


def test_a_draft_has_no_dates():
    job = draft()
    assert job.status is JobStatus.DRAFT
    assert job.posted_date is None
    assert job.expiry_date is None
    with refused(InvalidState):
        attrs.evolve(job, posted_date=NOW)


def test_an_active_job_always_has_both_dates():
    with refused(InvalidState):
        attrs.evolve(draft(), status=JobStatus.ACTIVE)


def test_publish_defaults_to_thirty_days():
    job = draft().publish(NOW)
    assert job.status is JobStatus.ACTIVE
    assert job.posted_date == NOW
    assert job.expiry_date == NOW + timedelta(days=30)
    assert job.updated_at == NOW


def test_publish_accepts_an_expiry_up_to_ninety_days_out():
    assert draft().publish(NOW, NOW + timedelta(days=90)).expiry_date == NOW + timedelta(days=90)
    with refused(InvalidInput) as too_far:
        draft().publish(NOW, NOW + timedelta(days=90, seconds=1))
    assert too_far.value.field == "expiry_date"
    for past in (NOW, NOW - timedelta(days=1)):
        with refused(InvalidInput):
            draft().publish(NOW, past)


def test_an_active_job_cannot_be_published_again():
    job = draft().publish(NOW)
    with refused(InvalidState):
        job.publish(NOW + timedelta(days=1))


@pytest.mark.parametrize("closed", ["expired", "inactive", "inactive draft"])
def test_an_expired_or_inactive_job_is_relisted_with_new_dates(closed):
    later = NOW + timedelta(days=40)
    job = {
        "expired": lambda: draft().publish(NOW).expire(NOW + timedelta(days=30)),
        "inactive": lambda: draft().publish(NOW).deactivate(NOW + timedelta(days=1)),
        "inactive draft": lambda: draft().deactivate(NOW),
    }[closed]()
    relisted = job.publish(later, later + timedelta(days=7))
    assert (relisted.id, relisted.status, relisted.content) == (job.id, JobStatus.ACTIVE,
                                                                job.content)
    assert (relisted.posted_date, relisted.expiry_date, relisted.updated_at) == (
        later, later + timedelta(days=7), later)
    assert relisted.created_at == job.created_at
    assert job.publish(later).expiry_date == later + timedelta(days=30)
    with refused(InvalidInput, field="expiry_date"):
        job.publish(later, later + timedelta(days=91))


def test_a_relisted_job_expires_again_when_its_new_date_passes():
    once = draft().publish(NOW, NOW + timedelta(days=1)).expire(NOW + timedelta(days=1))
    again = once.publish(NOW + timedelta(days=5), NOW + timedelta(days=6))
    assert not again.is_due_to_expire(NOW + timedelta(days=6) - timedelta(microseconds=1))
    assert again.expire(NOW + timedelta(days=6)).status is JobStatus.EXPIRED


def test_an_edit_moves_an_active_jobs_expiry_within_ninety_days_of_now():
    job = draft().publish(NOW, NOW + timedelta(days=10))
    now = NOW + timedelta(days=5)
    extended = job.edit({}, now, now + timedelta(days=90))
    assert (extended.expiry_date, extended.posted_date, extended.updated_at) == (
        now + timedelta(days=90), NOW, now)
    shortened = job.edit({"title": "CTO"}, now, now + timedelta(hours=1))
    assert (shortened.expiry_date, shortened.content.title) == (now + timedelta(hours=1), "CTO")
    assert job.edit({"title": "CTO"}, now).expiry_date == job.expiry_date
    for wrong in (now, now - timedelta(days=1), now + timedelta(days=90, microseconds=1)):
        with refused(InvalidInput, field="expiry_date"):
            job.edit({}, now, wrong)


def test_a_draft_is_given_no_expiry_by_an_edit():
    with refused(InvalidState):
        draft().edit({"title": "CTO"}, NOW, NOW + timedelta(days=1))


def test_edit_replaces_only_the_named_fields_on_draft_and_active_jobs():
    for job in (draft(), draft().publish(NOW)):
        edited = job.edit({"title": "Head of IT", "city": "Leeds"}, NOW + timedelta(hours=1))
        assert edited.content.title == "Head of IT"
        assert edited.content.city == "Leeds"
        assert edited.content.description == job.content.description
        assert edited.status is job.status
        assert edited.updated_at == NOW + timedelta(hours=1)


def test_content_changes_name_every_content_field_with_its_type():
    assert get_type_hints(ContentChanges) == {f.name: f.type for f in attrs.fields(JobContent)}


def test_edit_is_refused_on_expired_and_inactive_jobs():
    expired = draft().publish(NOW).expire(NOW + timedelta(days=31))
    for job in (expired, draft().deactivate(NOW)):
        with refused(InvalidState):
            job.edit({"title": "x"}, NOW)


def test_edit_validates_the_whole_result():
    with refused(InvalidInput) as error:
        draft().edit({"apply_method": ApplyMethod.URL_APPLY}, NOW)
    assert error.value.field in {"apply_email_address", "apply_url"}
    with refused(InvalidInput):
        draft().edit({"status": JobStatus.ACTIVE}, NOW)


def test_deactivate_is_harmless_twice_and_keeps_dates():
    job = draft().publish(NOW).deactivate(NOW + timedelta(days=1))
    assert job.status is JobStatus.INACTIVE
    assert job.expiry_date is not None
    assert job.deactivate(NOW + timedelta(days=2)) == job


def test_only_active_jobs_past_expiry_expire():
    job = draft().publish(NOW, NOW + timedelta(days=10))
    assert not job.is_due_to_expire(NOW + timedelta(days=10) - timedelta(seconds=1))
    assert job.is_due_to_expire(NOW + timedelta(days=10))
    assert job.expire(NOW + timedelta(days=10)).status is JobStatus.EXPIRED
    with refused(InvalidState):
        job.expire(NOW)
    assert not draft().is_due_to_expire(NOW + timedelta(days=365))


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": "  "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"description": ""}, "description"),
        ({"apply_email_address": None}, "apply_email_address"),
        ({"apply_email_address": "not-an-email"}, "apply_email_address"),
        ({"apply_method": ApplyMethod.PORTAL_APPLY}, "apply_email_address"),
        (
            {"apply_method": ApplyMethod.URL_APPLY, "apply_email_address": None},
            "apply_url",
        ),
        (
            {
                "apply_method": ApplyMethod.URL_APPLY,
                "apply_email_address": None,
                "apply_url": "ftp://x",
            },
            "apply_url",
        ),
        ({"salary_min": -1}, "salary_min"),
        ({"salary_min": 50_000, "salary_max": 40_000}, "salary_min"),
        ({"salary_currency": "pounds"}, "salary_currency"),
        ({"salary_max": 100_000_001}, "salary_max"),
        ({"apply_url": "https://ats.example.com/apply"}, "apply_url"),
        ({"reference": "r" * 101}, "reference"),
        ({"city": "c" * 101}, "city"),
    ],
)
def test_content_rules_name_the_field(overrides, field):
    with refused(InvalidInput) as error:
        content(**overrides)
    assert error.value.field == field


def test_portal_and_url_apply_need_no_email():
    assert content(apply_method=ApplyMethod.PORTAL_APPLY, apply_email_address=None)
    assert content(
        apply_method=ApplyMethod.URL_APPLY,
        apply_email_address=None,
        apply_url="https://ats.example.com/apply/1",
    )


def test_content_at_its_limits_is_accepted():
    limits = {"title": 200, "reference": 100, "city": 100, "country": 100}
    job = content(**{name: "x" * limit for name, limit in limits.items()})
    assert {name: len(getattr(job, name)) for name in limits} == limits
    paid = content(salary_min=0, salary_max=100_000_000, salary_currency="GBP")
    assert (paid.salary_min, paid.salary_max) == (0, 100_000_000)
    assert content(salary_min=50_000, salary_max=50_000).salary_max == 50_000


def test_a_draft_is_dated_when_made_and_every_change_dates_it_again():
    job = draft()
    assert (job.created_at, job.updated_at) == (NOW, NOW)
    later = NOW + timedelta(hours=1)
    published = job.publish(later)
    assert published.updated_at == later
    assert published.deactivate(later + timedelta(hours=1)).updated_at == later + timedelta(hours=1)
    expired = published.expire(later + timedelta(days=30))
    assert expired.updated_at == later + timedelta(days=30)


def test_a_job_with_only_one_of_its_dates_is_refused():
    with refused(InvalidState):
        attrs.evolve(draft(), status=JobStatus.ACTIVE, posted_date=NOW)
    with refused(InvalidState):
        attrs.evolve(draft(), expiry_date=NOW)


def test_an_unknown_field_in_an_edit_is_named():
    with refused(InvalidInput, field="salary"):
        draft().edit({"salary": 1}, NOW)


def test_a_past_expiry_names_the_field():
    with refused(InvalidInput, field="expiry_date"):
        draft().publish(NOW, NOW)
