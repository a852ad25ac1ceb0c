"""Job posts and their life cycle: Draft → Active → Expired, or Inactive from any state; an
Expired or Inactive job can be relisted (Active again).

A Draft has no posted or expiry date; an Active job always has both. The content a partner
may change lives in ``JobContent`` so that an edit is one validated replacement.
"""

import enum
import re
from datetime import datetime, timedelta
from typing import TypedDict

import attrs

from itmj_domain.errors import InvalidInput, InvalidState
from itmj_domain.pagination import Position

DEFAULT_LISTING_DAYS = 30
MAX_LISTING_DAYS = 90

TEXT_LIMITS = {
    "title": 200,
    "reference": 100,
    "description": 100_000,
    "city": 100,
    "country": 100,
    "apply_email_address": 320,
    "apply_url": 2048,
}
# The patterns are written without flags or \s, whose meaning differs between regex engines,
# so that the OpenAPI document states them to partners as JSON Schema patterns that mean
# exactly what they mean here. WHITESPACE is what str.isspace (and so str.strip) calls space.
WHITESPACE = r"\t\n\x0b\x0c\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
CURRENCY_PATTERN = r"[A-Z]{3}"
EMAIL_PATTERN = rf"[^@{WHITESPACE}]+@[^@{WHITESPACE}]+\.[^@{WHITESPACE}]+"
URL_PATTERN = rf"[Hh][Tt][Tt][Pp][Ss]?://[^{WHITESPACE}/?#]+[^{WHITESPACE}]*"
_CURRENCY = re.compile(CURRENCY_PATTERN)
_EMAIL = re.compile(EMAIL_PATTERN)
_URL = re.compile(URL_PATTERN)
MAX_SALARY = 100_000_000


class JobStatus(enum.Enum):
    DRAFT = "Draft"
    ACTIVE = "Active"
    EXPIRED = "Expired"
    INACTIVE = "Inactive"


class EmploymentType(enum.Enum):
    FULL_TIME = "FullTime"
    PART_TIME = "PartTime"
    CONTRACT = "Contract"
    TEMPORARY = "Temporary"
    INTERNSHIP = "Internship"


class RemoteType(enum.Enum):
    ON_SITE = "OnSite"
    HYBRID_REMOTE = "HybridRemote"
    FULLY_REMOTE = "FullyRemote"


class ApplyMethod(enum.Enum):
    EMAIL_APPLY = "EmailApply"
    URL_APPLY = "UrlApply"
    PORTAL_APPLY = "PortalApply"


class SalaryPeriod(enum.Enum):
    HOUR = "Hour"
    DAY = "Day"
    MONTH = "Month"
    YEAR = "Year"


@attrs.frozen
class JobContent:
    """Everything about a job that its owner writes; validated as a whole."""

    title: str
    description: str
    employment_type: EmploymentType
    remote_type: RemoteType
    apply_method: ApplyMethod
    reference: str | None = None
    city: str | None = None
    country: str | None = None
    apply_email_address: str | None = None
    apply_url: str | None = None
    salary_min: int | None = None
    salary_max: int | None = None
    salary_currency: str | None = None
    salary_period: SalaryPeriod | None = None

    def __attrs_post_init__(self) -> None:
        for name, limit in TEXT_LIMITS.items():
            value = getattr(self, name)
            if value is not None and len(value) > limit:
                raise InvalidInput(f"{name} must be at most {limit} characters", field=name)
        for name in ("title", "description"):
            if not getattr(self, name).strip():
                raise InvalidInput(f"{name} must not be blank", field=name)
        self._check_apply_method()
        self._check_salary()

    def _check_apply_method(self) -> None:
        method = self.apply_method
        if method is ApplyMethod.EMAIL_APPLY:
            if self.apply_email_address is None:
                raise InvalidInput(
                    "apply_email_address is required when apply_method is EmailApply",
                    field="apply_email_address",
                )
            if not _EMAIL.fullmatch(self.apply_email_address):
                raise InvalidInput(
                    "apply_email_address must be an email address", field="apply_email_address"
                )
        elif self.apply_email_address is not None:
            raise InvalidInput(
                "apply_email_address is only allowed when apply_method is EmailApply",
                field="apply_email_address",
            )
        if method is ApplyMethod.URL_APPLY:
            if self.apply_url is None:
                raise InvalidInput(
                    "apply_url is required when apply_method is UrlApply", field="apply_url"
                )
            if not _URL.fullmatch(self.apply_url):
                raise InvalidInput("apply_url must be an http(s) URL", field="apply_url")
        elif self.apply_url is not None:
            raise InvalidInput(
                "apply_url is only allowed when apply_method is UrlApply", field="apply_url"
            )

    def _check_salary(self) -> None:
        for name in ("salary_min", "salary_max"):
            value = getattr(self, name)
            if value is not None and not 0 <= value <= MAX_SALARY:
                raise InvalidInput(f"{name} must be between 0 and {MAX_SALARY}", field=name)
        if (
            self.salary_min is not None
            and self.salary_max is not None
            and self.salary_min > self.salary_max
        ):
            raise InvalidInput("salary_min must not exceed salary_max", field="salary_min")
        if self.salary_currency is not None and not _CURRENCY.fullmatch(self.salary_currency):
            raise InvalidInput(
                "salary_currency must be an ISO 4217 code such as GBP", field="salary_currency"
            )


class ContentChanges(TypedDict, total=False):
    """The fields of ``JobContent`` an edit replaces, each with the type it has there."""

    title: str
    description: str
    employment_type: EmploymentType
    remote_type: RemoteType
    apply_method: ApplyMethod
    reference: str | None
    city: str | None
    country: str | None
    apply_email_address: str | None
    apply_url: str | None
    salary_min: int | None
    salary_max: int | None
    salary_currency: str | None
    salary_period: SalaryPeriod | None


def _dates_match_status(
    instance: "JobPost", _attribute: "attrs.Attribute[JobStatus]", _value: JobStatus
) -> None:
    dated = instance.posted_date is not None and instance.expiry_date is not None
    undated = instance.posted_date is None and instance.expiry_date is None
    if instance.status is JobStatus.DRAFT and not undated:
        raise InvalidState("a Draft job has no posted or expiry date")
    if instance.status in (JobStatus.ACTIVE, JobStatus.EXPIRED) and not dated:
        raise InvalidState(f"a {instance.status.value} job has posted and expiry dates")


# Its hash is kept: a read is answered from a cache of encoded bodies keyed by the job, whose
# lookup hashes it twice, content and all.
@attrs.frozen(cache_hash=True)
class JobPost:
    id: int
    employer_id: int
    content: JobContent
    created_at: datetime
    updated_at: datetime
    status: JobStatus = attrs.field(default=JobStatus.DRAFT, validator=_dates_match_status)
    posted_date: datetime | None = None
    expiry_date: datetime | None = None

    @property
    def position(self) -> Position:
        """Where the job stands in its employer's list, newest first."""
        return Position(self.created_at, self.id)

    @classmethod
    def draft(cls, job_id: int, employer_id: int, content: JobContent, now: datetime) -> "JobPost":
        return cls(job_id, employer_id, content, created_at=now, updated_at=now)

    def publish(self, now: datetime, expiry_date: datetime | None = None) -> "JobPost":
        """Draft → Active with a posted date (now) and an expiry date (default 30 days out).
        An Expired or Inactive job is relisted the same way (SPEC §12): Active again, same
        id and applications, new dates. An Active job is refused: its expiry date is changed
        by an edit instead."""
        if self.status is JobStatus.ACTIVE:
            raise InvalidState(
                "the job is already Active; change its expiry_date with an edit instead"
            )
        return attrs.evolve(
            self, status=JobStatus.ACTIVE, posted_date=now,
            expiry_date=_listing_until(now, expiry_date), updated_at=now,
        )

    def edit(
        self, changes: ContentChanges, now: datetime, expiry_date: datetime | None = None
    ) -> "JobPost":
        """Replace the named content fields; only Draft and Active jobs can be edited. An
        Active job's listing may also be given a new ``expiry_date`` (SPEC §12), by the
        rule publishing follows: later than now, at most 90 days from now. A Draft has no
        expiry date until it is published."""
        if self.status not in (JobStatus.DRAFT, JobStatus.ACTIVE):
            raise InvalidState(f"a {self.status.value} job cannot be edited")
        unknown = set(changes) - {f.name for f in attrs.fields(JobContent)}
        if unknown:
            raise InvalidInput(f"unknown field {sorted(unknown)[0]}", field=sorted(unknown)[0])
        expiry = self.expiry_date
        if expiry_date is not None:
            if self.status is not JobStatus.ACTIVE:
                raise InvalidState(
                    "only an Active job's expiry_date can be changed; a Draft gets one when "
                    "it is published"
                )
            expiry = _listing_until(now, expiry_date)
        return attrs.evolve(
            self, content=attrs.evolve(self.content, **changes), expiry_date=expiry,
            updated_at=now,
        )

    def deactivate(self, now: datetime) -> "JobPost":
        if self.status is JobStatus.INACTIVE:
            return self
        return attrs.evolve(self, status=JobStatus.INACTIVE, updated_at=now)

    def is_open(self, now: datetime) -> bool:
        """Listed publicly and taking applications: Active and not yet past its expiry (the
        sweep that marks it Expired may still be on its way)."""
        return (
            self.status is JobStatus.ACTIVE
            and self.expiry_date is not None
            and self.expiry_date > now
        )

    def is_due_to_expire(self, now: datetime) -> bool:
        return (
            self.status is JobStatus.ACTIVE
            and self.expiry_date is not None
            and self.expiry_date <= now
        )

    def expire(self, now: datetime) -> "JobPost":
        if not self.is_due_to_expire(now):
            raise InvalidState("only an Active job past its expiry date can expire")
        return attrs.evolve(self, status=JobStatus.EXPIRED, updated_at=now)


def _listing_until(now: datetime, expiry_date: datetime | None) -> datetime:
    expiry = expiry_date or now + timedelta(days=DEFAULT_LISTING_DAYS)
    if expiry <= now:
        raise InvalidInput("expiry_date must be in the future", field="expiry_date")
    if expiry > now + timedelta(days=MAX_LISTING_DAYS):
        raise InvalidInput(
            f"expiry_date must be at most {MAX_LISTING_DAYS} days from now", field="expiry_date"
        )
    return expiry


MAX_SEARCH_WORDS = 10
MAX_SEARCH_TEXT = 200


@attrs.frozen
class OpenJobSearch:
    """How a visitor narrows the public job list: ``words`` each appear, in any letter case,
    in the title or the description; ``country`` is the job's country, in any letter case.
    Words are kept lower-cased, as every adapter compares them."""

    words: tuple[str, ...] = ()
    country: str | None = None

    @classmethod
    def of(cls, keywords: str, country: str) -> "OpenJobSearch":
        """From the list's form: blank means no filter."""
        if len(keywords) > MAX_SEARCH_TEXT or len(country) > MAX_SEARCH_TEXT:
            raise InvalidInput(f"a search is at most {MAX_SEARCH_TEXT} characters",
                               field="keywords")
        words = tuple(dict.fromkeys(keywords.lower().split()))
        if len(words) > MAX_SEARCH_WORDS:
            raise InvalidInput(f"search for at most {MAX_SEARCH_WORDS} words", field="keywords")
        return cls(words, country.strip() or None)

    def matches(self, job: JobPost) -> bool:
        text = f"{job.content.title} {job.content.description}".lower()
        if not all(word in text for word in self.words):
            return False
        return self.country is None or (
            job.content.country is not None
            and job.content.country.lower() == self.country.lower()
        )
