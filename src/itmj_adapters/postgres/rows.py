"""Rows and domain objects: the columns each table is read and written with, in one order,
and the conversions between a row tuple and an attrs object.

Enumerations are stored as their values and sets as sorted text arrays. Rows are plain tuples
(psycopg's cheapest row factory) because reading a key and a job is the API's hot path.
"""

from collections.abc import Iterable
from enum import Enum
from typing import Any

from itmj_domain.accounts import Employer, Role, User
from itmj_domain.api_keys import ApiKey, KeyStatus, Scope
from itmj_domain.credits import Contract, CreditKind, EntryReason, LedgerEntry
from itmj_domain.jobs import (
    ApplyMethod,
    EmploymentType,
    JobContent,
    JobPost,
    JobStatus,
    RemoteType,
    SalaryPeriod,
)

Row = tuple[Any, ...]


def _values(members: Iterable[Enum]) -> list[str]:
    return sorted(member.value for member in members)


def _placeholders(columns: str) -> str:
    return ", ".join(["%s"] * len(columns.split(",")))


EMPLOYER_COLUMNS = "id, name, trusted_partner, created_at"
EMPLOYER_PLACEHOLDERS = _placeholders(EMPLOYER_COLUMNS)


def employer_row(employer: Employer) -> Row:
    return (employer.id, employer.name, employer.trusted_partner, employer.created_at)


def employer(row: Row) -> Employer:
    id_, name, trusted_partner, created_at = row
    return Employer(id_, name, trusted_partner, created_at)


USER_COLUMNS = "id, employer_id, email, role, created_at"
USER_PLACEHOLDERS = _placeholders(USER_COLUMNS)


def user_row(user: User) -> Row:
    return (user.id, user.employer_id, user.email, user.role.value, user.created_at)


def user(row: Row) -> User:
    id_, employer_id, email, role, created_at = row
    return User(id_, employer_id, email, Role(role), created_at)


API_KEY_COLUMNS = (
    "id, employer_id, name, scopes, key_hash, display_prefix, status, created_by, created_at,"
    " expires_at, approved_at, last_used_at"
)
API_KEY_PLACEHOLDERS = _placeholders(API_KEY_COLUMNS)


def api_key_row(key: ApiKey) -> Row:
    return (
        key.id, key.employer_id, key.name, _values(key.scopes), key.key_hash, key.display_prefix,
        key.status.value, key.created_by, key.created_at, key.expires_at, key.approved_at,
        key.last_used_at,
    )


def api_key(row: Row) -> ApiKey:
    (id_, employer_id, name, scopes, key_hash, display_prefix, status, created_by, created_at,
     expires_at, approved_at, last_used_at) = row
    return ApiKey(
        id_, employer_id, name, frozenset(Scope(s) for s in scopes), key_hash, display_prefix,
        KeyStatus(status), created_by, created_at, expires_at, approved_at, last_used_at,
    )


CONTRACT_COLUMNS = "id, employer_id, kinds, valid_from, valid_until"
CONTRACT_PLACEHOLDERS = _placeholders(CONTRACT_COLUMNS)


def contract_row(contract: Contract) -> Row:
    return (
        contract.id, contract.employer_id, _values(contract.kinds), contract.valid_from,
        contract.valid_until,
    )


def contract(row: Row) -> Contract:
    id_, employer_id, kinds, valid_from, valid_until = row
    return Contract(
        id_, employer_id, frozenset(CreditKind(k) for k in kinds), valid_from, valid_until
    )


LEDGER_ENTRY_COLUMNS = "id, employer_id, kind, amount, reason, reference, created_at, contract_id"
LEDGER_ENTRY_PLACEHOLDERS = _placeholders(LEDGER_ENTRY_COLUMNS)


def ledger_entry_row(entry: LedgerEntry) -> Row:
    return (
        entry.id, entry.employer_id, entry.kind.value, entry.amount, entry.reason.value,
        entry.reference, entry.created_at, entry.contract_id,
    )


def ledger_entry(row: Row) -> LedgerEntry:
    id_, employer_id, kind, amount, reason, reference, created_at, contract_id = row
    return LedgerEntry(
        id_, employer_id, CreditKind(kind), amount, EntryReason(reason), reference, created_at,
        contract_id,
    )


JOB_COLUMNS = (
    "id, employer_id, status, posted_date, expiry_date, created_at, updated_at,"
    " title, description, employment_type, remote_type, apply_method, reference, city, country,"
    " apply_email_address, apply_url, salary_min, salary_max, salary_currency, salary_period"
)
JOB_PLACEHOLDERS = _placeholders(JOB_COLUMNS)


def job_row(job: JobPost) -> Row:
    c = job.content
    return (
        job.id, job.employer_id, job.status.value, job.posted_date, job.expiry_date,
        job.created_at, job.updated_at,
        c.title, c.description, c.employment_type.value, c.remote_type.value,
        c.apply_method.value, c.reference, c.city, c.country, c.apply_email_address,
        c.apply_url, c.salary_min, c.salary_max, c.salary_currency,
        c.salary_period.value if c.salary_period is not None else None,
    )


def job(row: Row) -> JobPost:
    (id_, employer_id, status, posted_date, expiry_date, created_at, updated_at,
     title, description, employment_type, remote_type, apply_method, reference, city, country,
     apply_email_address, apply_url, salary_min, salary_max, salary_currency,
     salary_period) = row
    content = JobContent(
        title, description, EmploymentType(employment_type), RemoteType(remote_type),
        ApplyMethod(apply_method), reference, city, country, apply_email_address, apply_url,
        salary_min, salary_max, salary_currency,
        SalaryPeriod(salary_period) if salary_period is not None else None,
    )
    return JobPost(
        id_, employer_id, content, created_at, updated_at, JobStatus(status), posted_date,
        expiry_date,
    )
