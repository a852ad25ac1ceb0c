"""Rows and domain objects: the columns each table is read and written with, in one order,
and the conversions between a row tuple and an attrs object.

Enumerations are stored as their values and sets as sorted arrays. Rows are plain tuples
(psycopg's cheapest row factory) because reading a key and a job is the API's hot path.

For the same reason a key and a job are made once per distinct row, not once per read: the
object is a function of every column, so a row that changed in any way (a revoked status, a
new ``last_used_at``, an edit) makes a new object, and nothing read earlier stands in for it.
Handing the same object to every read of an unchanged row also lets the HTTP edge reuse the
body and the ETag it derived from it.
"""

import functools
import json
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from enum import Enum
from typing import Any

from itmj_domain.accounts import Employer, Role, User
from itmj_domain.api_keys import ApiKey, KeyStatus, Scope
from itmj_domain.applications import Applicant, Application, ApplicationStatus
from itmj_domain.candidates import Candidate
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
from itmj_domain.orders import Bundle, CreditOrder, OrderStatus
from itmj_domain.password_resets import PasswordReset
from itmj_domain.principals import Principal, PrincipalKind
from itmj_domain.staff import StaffMember
from itmj_domain.team import Invitation
from itmj_domain.unlocks import Unlock
from itmj_domain.webhooks.deliveries import Delivery, DeliveryStatus
from itmj_domain.webhooks.subscriptions import EventType, Subscription

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


USER_COLUMNS = "id, employer_id, email, role, created_at, name"
USER_PLACEHOLDERS = _placeholders(USER_COLUMNS)


def user_row(user: User) -> Row:
    return (user.id, user.employer_id, user.email, user.role.value, user.created_at, user.name)


def user(row: Row) -> User:
    id_, employer_id, email, role, created_at, name = row
    return User(id_, employer_id, email, Role(role), created_at, name)


STAFF_COLUMNS = "id, email, created_at"
STAFF_PLACEHOLDERS = _placeholders(STAFF_COLUMNS)


def staff_row(member: StaffMember) -> Row:
    return (member.id, member.email, member.created_at)


def staff(row: Row) -> StaffMember:
    id_, email, created_at = row
    return StaffMember(id_, email, created_at)


PASSWORD_RESET_COLUMNS = "token_hash, holder_kind, holder_id, created_at, expires_at"
PASSWORD_RESET_PLACEHOLDERS = _placeholders(PASSWORD_RESET_COLUMNS)


def password_reset_row(reset: PasswordReset) -> Row:
    return (
        reset.token_hash, reset.holder.kind.value, reset.holder.id, reset.created_at,
        reset.expires_at,
    )


def password_reset(row: Row) -> PasswordReset:
    token_hash, holder_kind, holder_id, created_at, expires_at = row
    return PasswordReset(
        token_hash, Principal(PrincipalKind(holder_kind), holder_id), created_at, expires_at
    )


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


# Enough distinct rows for every key and job a busy process serves again and again; a row
# seen once more after it left costs one conversion.
_DISTINCT_ROWS = 1024


def api_key(row: Row) -> ApiKey:
    # The scopes column is a list; the memo needs every column hashable.
    return _api_key((*row[:3], tuple(row[3]), *row[4:]))


@functools.lru_cache(maxsize=_DISTINCT_ROWS)
def _api_key(row: Row) -> ApiKey:
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
    return _job(tuple(row))


@functools.lru_cache(maxsize=_DISTINCT_ROWS)
def _job(row: Row) -> JobPost:
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


CANDIDATE_COLUMNS = (
    "id, external_id, full_name, email, phone, headline, summary, skills, city, country_id,"
    " preferred_country_ids, last_active_at, hidden"
)
CANDIDATE_PLACEHOLDERS = _placeholders(CANDIDATE_COLUMNS)


def candidate_row(candidate: Candidate) -> Row:
    c = candidate
    return (
        c.id, c.external_id, c.full_name, c.email, c.phone, c.headline, c.summary,
        list(c.skills), c.city, c.country_id, sorted(c.preferred_country_ids),
        c.last_active_at, c.hidden,
    )


def candidates_json(candidates: Sequence[Candidate]) -> str:
    """The candidates as a JSON array of objects named by column, as
    ``jsonb_populate_recordset`` over the table's row type reads them."""
    names = CANDIDATE_COLUMNS.split(", ")
    return json.dumps([dict(zip(names, candidate_row(c), strict=True)) for c in candidates],
                      default=datetime.isoformat)


def candidate(row: Row) -> Candidate:
    (id_, external_id, full_name, email, phone, headline, summary, skills, city, country_id,
     preferred_country_ids, last_active_at, hidden) = row
    return Candidate(
        id_, external_id, full_name, email, phone, headline, summary, tuple(skills), city,
        country_id, frozenset(preferred_country_ids), last_active_at, hidden,
    )


UNLOCK_COLUMNS = "employer_id, candidate_id, unlocked_at"


def unlock_row(unlock: Unlock) -> Row:
    return (unlock.employer_id, unlock.candidate_id, unlock.unlocked_at)


def unlock(row: Row) -> Unlock:
    employer_id, candidate_id, unlocked_at = row
    return Unlock(employer_id, candidate_id, unlocked_at)


APPLICATION_COLUMNS = (
    "id, employer_id, job_id, candidate_id, application_type, applied_at, status, updated_at,"
    " applicant_name, applicant_email, applicant_phone, cover_note, cv_text"
)
APPLICATION_PLACEHOLDERS = _placeholders(APPLICATION_COLUMNS)


def application_row(application: Application) -> Row:
    a, who = application, application.applicant
    return (
        a.id, a.employer_id, a.job_id, a.candidate_id, a.application_type.value, a.applied_at,
        a.status.value, a.updated_at, who.name, who.email, who.phone, who.cover_note,
        who.cv_text,
    )


def application(row: Row) -> Application:
    (id_, employer_id, job_id, candidate_id, application_type, applied_at, status, updated_at,
     name, email, phone, cover_note, cv_text) = row
    return Application(
        id_, employer_id, job_id, candidate_id, ApplyMethod(application_type), applied_at,
        ApplicationStatus(status), updated_at,
        applicant=Applicant(name, email, phone, cover_note, cv_text),
    )


SUBSCRIPTION_COLUMNS = (
    "id, employer_id, url, events, secret, created_at, enabled, consecutive_failures,"
    " disabled_at, previous_secret, previous_secret_until"
)
SUBSCRIPTION_PLACEHOLDERS = _placeholders(SUBSCRIPTION_COLUMNS)


def subscription_row(
    subscription: Subscription, stored_secret: str, stored_previous: str | None
) -> Row:
    """The row, with the secrets as they are stored (sealed) in place of the secrets."""
    s = subscription
    return (
        s.id, s.employer_id, s.url, _values(s.events), stored_secret, s.created_at, s.enabled,
        s.consecutive_failures, s.disabled_at, stored_previous, s.previous_secret_until,
    )


def subscription(
    row: Row, reveal: Callable[[int, str], str],
    reveal_previous: Callable[[int, str | None], str | None],
) -> Subscription:
    """``reveal`` turns a subscription's id and stored secret into the secret,
    ``reveal_previous`` the same of the previous secret."""
    (id_, employer_id, url, events, stored_secret, created_at, enabled, consecutive_failures,
     disabled_at, stored_previous, previous_secret_until) = row
    return Subscription(
        id_, employer_id, url, frozenset(EventType(e) for e in events),
        reveal(id_, stored_secret), created_at, enabled, consecutive_failures, disabled_at,
        reveal_previous(id_, stored_previous), previous_secret_until,
    )


DELIVERY_COLUMNS = (
    "id, subscription_id, event_id, created_at, next_attempt_at, status, attempts,"
    " last_attempt_at, last_error, delivered_at, last_status_code"
)
DELIVERY_PLACEHOLDERS = _placeholders(DELIVERY_COLUMNS)


def delivery_row(delivery: Delivery) -> Row:
    d = delivery
    return (
        d.id, d.subscription_id, d.event_id, d.created_at, d.next_attempt_at, d.status.value,
        d.attempts, d.last_attempt_at, d.last_error, d.delivered_at, d.last_status_code,
    )


def delivery(row: Row) -> Delivery:
    (id_, subscription_id, event_id, created_at, next_attempt_at, status, attempts,
     last_attempt_at, last_error, delivered_at, last_status_code) = row
    return Delivery(
        id_, subscription_id, event_id, created_at, next_attempt_at, DeliveryStatus(status),
        attempts, last_attempt_at, last_error, delivered_at, last_status_code,
    )


ORDER_COLUMNS = (
    "id, employer_id, bundle_code, kind, credits, price_pence, currency, ordered_by, status,"
    " created_at, decided_at, ledger_entry_id"
)
ORDER_PLACEHOLDERS = _placeholders(ORDER_COLUMNS)


def order_row(order: CreditOrder) -> Row:
    o, b = order, order.bundle
    return (
        o.id, o.employer_id, b.code, b.kind.value, b.credits, b.price_pence, b.currency,
        o.ordered_by, o.status.value, o.created_at, o.decided_at, o.ledger_entry_id,
    )


def order(row: Row) -> CreditOrder:
    (id_, employer_id, code, kind, credits, price_pence, currency, ordered_by, status,
     created_at, decided_at, ledger_entry_id) = row
    return CreditOrder(
        id_, employer_id, Bundle(code, CreditKind(kind), credits, price_pence, currency),
        ordered_by, created_at, OrderStatus(status), decided_at, ledger_entry_id,
    )


INVITATION_COLUMNS = (
    "id, employer_id, email, role, token_hash, invited_by, created_at, expires_at, accepted_at,"
    " withdrawn_at"
)
INVITATION_PLACEHOLDERS = _placeholders(INVITATION_COLUMNS)


def invitation_row(invitation: Invitation) -> Row:
    i = invitation
    return (
        i.id, i.employer_id, i.email, i.role.value, i.token_hash, i.invited_by, i.created_at,
        i.expires_at, i.accepted_at, i.withdrawn_at,
    )


def invitation(row: Row) -> Invitation:
    (id_, employer_id, email, role, token_hash, invited_by, created_at, expires_at,
     accepted_at, withdrawn_at) = row
    return Invitation(
        id_, employer_id, email, Role(role), token_hash, invited_by, created_at, expires_at,
        accepted_at, withdrawn_at,
    )
