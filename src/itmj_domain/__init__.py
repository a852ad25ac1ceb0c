"""The ITManagerJobs domain: pure rules and the ports they need.

Nothing here performs I/O or imports a framework or driver. Use cases in
``itmj_domain.services`` take ports and are wired to adapters by ``itmj_adapters``
(``build_services``).

The names in ``__all__`` are the library's public API, stable under semantic versioning (see
the README's "Versioning" and ``docs/embedding.md``): import them from here,
``from itmj_domain import JobPost, parse_query``. Every other module path and name is
internal and may change in any release. They load on first use, so that importing one part of
the domain (the query language, the signature) does not import the rest.
"""

import importlib
from typing import TYPE_CHECKING

__version__ = "0.2.0"

if TYPE_CHECKING:
    from itmj_domain.accounts import Employer as Employer
    from itmj_domain.accounts import Role as Role
    from itmj_domain.accounts import User as User
    from itmj_domain.api_keys import ApiKey as ApiKey
    from itmj_domain.api_keys import KeyStatus as KeyStatus
    from itmj_domain.api_keys import MintedKey as MintedKey
    from itmj_domain.api_keys import Scope as Scope
    from itmj_domain.applications import Applicant as Applicant
    from itmj_domain.applications import Application as Application
    from itmj_domain.applications import ApplicationStatus as ApplicationStatus
    from itmj_domain.candidates import Candidate as Candidate
    from itmj_domain.candidates import CandidateProfile as CandidateProfile
    from itmj_domain.clock import Clock as Clock
    from itmj_domain.countries import Country as Country
    from itmj_domain.credits import Balance as Balance
    from itmj_domain.credits import Contract as Contract
    from itmj_domain.credits import CreditKind as CreditKind
    from itmj_domain.credits import EntryReason as EntryReason
    from itmj_domain.credits import LedgerEntry as LedgerEntry
    from itmj_domain.errors import DomainError as DomainError
    from itmj_domain.errors import InvalidInput as InvalidInput
    from itmj_domain.errors import InvalidState as InvalidState
    from itmj_domain.errors import NoCredits as NoCredits
    from itmj_domain.errors import NotFound as NotFound
    from itmj_domain.events import ApplicationStatusChanged as ApplicationStatusChanged
    from itmj_domain.events import ApplicationSubmitted as ApplicationSubmitted
    from itmj_domain.events import Event as Event
    from itmj_domain.events import JobExpired as JobExpired
    from itmj_domain.events import WebhookTest as WebhookTest
    from itmj_domain.jobs import ApplyMethod as ApplyMethod
    from itmj_domain.jobs import ContentChanges as ContentChanges
    from itmj_domain.jobs import EmploymentType as EmploymentType
    from itmj_domain.jobs import JobContent as JobContent
    from itmj_domain.jobs import JobPost as JobPost
    from itmj_domain.jobs import JobStatus as JobStatus
    from itmj_domain.jobs import OpenJobSearch as OpenJobSearch
    from itmj_domain.jobs import RemoteType as RemoteType
    from itmj_domain.jobs import SalaryPeriod as SalaryPeriod
    from itmj_domain.orders import Bundle as Bundle
    from itmj_domain.orders import CreditOrder as CreditOrder
    from itmj_domain.orders import OrderStatus as OrderStatus
    from itmj_domain.pagination import Page as Page
    from itmj_domain.pagination import PageRequest as PageRequest
    from itmj_domain.passwords import PasswordHasher as PasswordHasher
    from itmj_domain.ports import ApiKeyRepository as ApiKeyRepository
    from itmj_domain.ports import ApplicationRepository as ApplicationRepository
    from itmj_domain.ports import CandidateIndex as CandidateIndex
    from itmj_domain.ports import CandidateRepository as CandidateRepository
    from itmj_domain.ports import ContractRepository as ContractRepository
    from itmj_domain.ports import CountryDirectory as CountryDirectory
    from itmj_domain.ports import CredentialRepository as CredentialRepository
    from itmj_domain.ports import CreditLedger as CreditLedger
    from itmj_domain.ports import CvReader as CvReader
    from itmj_domain.ports import DeliveryRepository as DeliveryRepository
    from itmj_domain.ports import EmployerRepository as EmployerRepository
    from itmj_domain.ports import EventEncoder as EventEncoder
    from itmj_domain.ports import HealthProbe as HealthProbe
    from itmj_domain.ports import HostResolver as HostResolver
    from itmj_domain.ports import IdempotencyRepository as IdempotencyRepository
    from itmj_domain.ports import IndexedCandidate as IndexedCandidate
    from itmj_domain.ports import InvitationRepository as InvitationRepository
    from itmj_domain.ports import JobRepository as JobRepository
    from itmj_domain.ports import KeyUseLog as KeyUseLog
    from itmj_domain.ports import LeaderLock as LeaderLock
    from itmj_domain.ports import Notifier as Notifier
    from itmj_domain.ports import OrderRepository as OrderRepository
    from itmj_domain.ports import OutboundRequest as OutboundRequest
    from itmj_domain.ports import Outbox as Outbox
    from itmj_domain.ports import ParsedQuery as ParsedQuery
    from itmj_domain.ports import PasswordResetRepository as PasswordResetRepository
    from itmj_domain.ports import SearchFilters as SearchFilters
    from itmj_domain.ports import SearchHits as SearchHits
    from itmj_domain.ports import StaffRepository as StaffRepository
    from itmj_domain.ports import SubscriptionRepository as SubscriptionRepository
    from itmj_domain.ports import TaskQueue as TaskQueue
    from itmj_domain.ports import UnitOfWork as UnitOfWork
    from itmj_domain.ports import UnitOfWorkFactory as UnitOfWorkFactory
    from itmj_domain.ports import UnlockRepository as UnlockRepository
    from itmj_domain.ports import UserRepository as UserRepository
    from itmj_domain.ports import WebhookSender as WebhookSender
    from itmj_domain.principals import Principal as Principal
    from itmj_domain.principals import PrincipalKind as PrincipalKind
    from itmj_domain.rate_limits import LimitedFamily as LimitedFamily
    from itmj_domain.rate_limits import RateLimitDecision as RateLimitDecision
    from itmj_domain.rate_limits import RateLimiter as RateLimiter
    from itmj_domain.rate_limits import RateLimitPolicy as RateLimitPolicy
    from itmj_domain.search import InvalidQuery as InvalidQuery
    from itmj_domain.search import QueryTooExpensive as QueryTooExpensive
    from itmj_domain.search import SearchDocument as SearchDocument
    from itmj_domain.search import SearchField as SearchField
    from itmj_domain.search import matches as matches
    from itmj_domain.search import parse_query as parse_query
    from itmj_domain.services.accounts import Accounts as Accounts
    from itmj_domain.services.accounts import PendingKey as PendingKey
    from itmj_domain.services.applications import Applications as Applications
    from itmj_domain.services.authentication import Authenticator as Authenticator
    from itmj_domain.services.candidates import CandidateIndexing as CandidateIndexing
    from itmj_domain.services.candidates import Candidates as Candidates
    from itmj_domain.services.candidates import ImportLine as ImportLine
    from itmj_domain.services.candidates import ImportReport as ImportReport
    from itmj_domain.services.candidates import Rejection as Rejection
    from itmj_domain.services.console import Console as Console
    from itmj_domain.services.credit_orders import CreditOrders as CreditOrders
    from itmj_domain.services.credits import AccountOverview as AccountOverview
    from itmj_domain.services.credits import Credits as Credits
    from itmj_domain.services.cv_search import CandidateView as CandidateView
    from itmj_domain.services.cv_search import CvSearch as CvSearch
    from itmj_domain.services.cv_search import MaskedCandidate as MaskedCandidate
    from itmj_domain.services.cv_search import SearchRequest as SearchRequest
    from itmj_domain.services.cv_search import SearchResult as SearchResult
    from itmj_domain.services.event_log import EventLog as EventLog
    from itmj_domain.services.event_log import EventPage as EventPage
    from itmj_domain.services.job_board import AlreadyApplied as AlreadyApplied
    from itmj_domain.services.job_board import ApplicationForm as ApplicationForm
    from itmj_domain.services.job_board import JobBoard as JobBoard
    from itmj_domain.services.job_board import OpenJob as OpenJob
    from itmj_domain.services.job_expiry import JobExpiry as JobExpiry
    from itmj_domain.services.job_posting import JobPosting as JobPosting
    from itmj_domain.services.periodic_work import Expired as Expired
    from itmj_domain.services.periodic_work import PeriodicWork as PeriodicWork
    from itmj_domain.services.portal_accounts import PortalAccounts as PortalAccounts
    from itmj_domain.services.portal_accounts import SignedUp as SignedUp
    from itmj_domain.services.portal_accounts import TooManyAttempts as TooManyAttempts
    from itmj_domain.services.portal_sessions import PortalSessions as PortalSessions
    from itmj_domain.services.team import OpenInvitation as OpenInvitation
    from itmj_domain.services.team import Team as Team
    from itmj_domain.services.webhook_delivery import Dispatch as Dispatch
    from itmj_domain.services.webhook_delivery import WebhookDelivery as WebhookDelivery
    from itmj_domain.services.webhooks import CreatedSubscription as CreatedSubscription
    from itmj_domain.services.webhooks import LoggedDelivery as LoggedDelivery
    from itmj_domain.services.webhooks import Webhooks as Webhooks
    from itmj_domain.sessions import SessionStore as SessionStore
    from itmj_domain.staff import StaffMember as StaffMember
    from itmj_domain.team import Invitation as Invitation
    from itmj_domain.unlocks import Unlock as Unlock
    from itmj_domain.webhooks.deliveries import Delivery as Delivery
    from itmj_domain.webhooks.deliveries import DeliveryStatus as DeliveryStatus
    from itmj_domain.webhooks.retry_policy import RetryPolicy as RetryPolicy
    from itmj_domain.webhooks.signing import new_secret as new_webhook_secret
    from itmj_domain.webhooks.signing import signature_header as sign_webhook
    from itmj_domain.webhooks.signing import verify as verify_webhook_signature
    from itmj_domain.webhooks.subscriptions import EventType as EventType
    from itmj_domain.webhooks.subscriptions import Subscription as Subscription

# Where each public name lives: (module, name there).
_HOMES: dict[str, tuple[str, str]] = {
    # Errors
    "DomainError": ("itmj_domain.errors", "DomainError"),
    "InvalidInput": ("itmj_domain.errors", "InvalidInput"),
    "InvalidState": ("itmj_domain.errors", "InvalidState"),
    "NoCredits": ("itmj_domain.errors", "NoCredits"),
    "NotFound": ("itmj_domain.errors", "NotFound"),
    "InvalidQuery": ("itmj_domain.search", "InvalidQuery"),
    "QueryTooExpensive": ("itmj_domain.search", "QueryTooExpensive"),
    "TooManyAttempts": ("itmj_domain.services.portal_accounts", "TooManyAttempts"),
    # Entities and values
    "Employer": ("itmj_domain.accounts", "Employer"),
    "Role": ("itmj_domain.accounts", "Role"),
    "User": ("itmj_domain.accounts", "User"),
    "ApiKey": ("itmj_domain.api_keys", "ApiKey"),
    "KeyStatus": ("itmj_domain.api_keys", "KeyStatus"),
    "MintedKey": ("itmj_domain.api_keys", "MintedKey"),
    "Scope": ("itmj_domain.api_keys", "Scope"),
    "Application": ("itmj_domain.applications", "Application"),
    "Applicant": ("itmj_domain.applications", "Applicant"),
    "AlreadyApplied": ("itmj_domain.services.job_board", "AlreadyApplied"),
    "JobBoard": ("itmj_domain.services.job_board", "JobBoard"),
    "ApplicationForm": ("itmj_domain.services.job_board", "ApplicationForm"),
    "OpenJob": ("itmj_domain.services.job_board", "OpenJob"),
    "OpenJobSearch": ("itmj_domain.jobs", "OpenJobSearch"),
    "CvReader": ("itmj_domain.ports", "CvReader"),
    "ApplicationStatus": ("itmj_domain.applications", "ApplicationStatus"),
    "Candidate": ("itmj_domain.candidates", "Candidate"),
    "CandidateProfile": ("itmj_domain.candidates", "CandidateProfile"),
    "Country": ("itmj_domain.countries", "Country"),
    "Balance": ("itmj_domain.credits", "Balance"),
    "Contract": ("itmj_domain.credits", "Contract"),
    "CreditKind": ("itmj_domain.credits", "CreditKind"),
    "EntryReason": ("itmj_domain.credits", "EntryReason"),
    "LedgerEntry": ("itmj_domain.credits", "LedgerEntry"),
    "ApplicationStatusChanged": ("itmj_domain.events", "ApplicationStatusChanged"),
    "ApplicationSubmitted": ("itmj_domain.events", "ApplicationSubmitted"),
    "Event": ("itmj_domain.events", "Event"),
    "JobExpired": ("itmj_domain.events", "JobExpired"),
    "WebhookTest": ("itmj_domain.events", "WebhookTest"),
    "ApplyMethod": ("itmj_domain.jobs", "ApplyMethod"),
    "ContentChanges": ("itmj_domain.jobs", "ContentChanges"),
    "EmploymentType": ("itmj_domain.jobs", "EmploymentType"),
    "JobContent": ("itmj_domain.jobs", "JobContent"),
    "JobPost": ("itmj_domain.jobs", "JobPost"),
    "JobStatus": ("itmj_domain.jobs", "JobStatus"),
    "RemoteType": ("itmj_domain.jobs", "RemoteType"),
    "SalaryPeriod": ("itmj_domain.jobs", "SalaryPeriod"),
    "Bundle": ("itmj_domain.orders", "Bundle"),
    "CreditOrder": ("itmj_domain.orders", "CreditOrder"),
    "OrderStatus": ("itmj_domain.orders", "OrderStatus"),
    "Page": ("itmj_domain.pagination", "Page"),
    "PageRequest": ("itmj_domain.pagination", "PageRequest"),
    "Principal": ("itmj_domain.principals", "Principal"),
    "PrincipalKind": ("itmj_domain.principals", "PrincipalKind"),
    "LimitedFamily": ("itmj_domain.rate_limits", "LimitedFamily"),
    "RateLimitDecision": ("itmj_domain.rate_limits", "RateLimitDecision"),
    "RateLimitPolicy": ("itmj_domain.rate_limits", "RateLimitPolicy"),
    "StaffMember": ("itmj_domain.staff", "StaffMember"),
    "Invitation": ("itmj_domain.team", "Invitation"),
    "Unlock": ("itmj_domain.unlocks", "Unlock"),
    "Delivery": ("itmj_domain.webhooks.deliveries", "Delivery"),
    "DeliveryStatus": ("itmj_domain.webhooks.deliveries", "DeliveryStatus"),
    "EventType": ("itmj_domain.webhooks.subscriptions", "EventType"),
    "Subscription": ("itmj_domain.webhooks.subscriptions", "Subscription"),
    # The query language
    "SearchDocument": ("itmj_domain.search", "SearchDocument"),
    "SearchField": ("itmj_domain.search", "SearchField"),
    "matches": ("itmj_domain.search", "matches"),
    "parse_query": ("itmj_domain.search", "parse_query"),
    # Webhook signing and retries
    "RetryPolicy": ("itmj_domain.webhooks.retry_policy", "RetryPolicy"),
    "new_webhook_secret": ("itmj_domain.webhooks.signing", "new_secret"),
    "sign_webhook": ("itmj_domain.webhooks.signing", "signature_header"),
    "verify_webhook_signature": ("itmj_domain.webhooks.signing", "verify"),
    # Ports
    "Clock": ("itmj_domain.clock", "Clock"),
    "PasswordHasher": ("itmj_domain.passwords", "PasswordHasher"),
    "RateLimiter": ("itmj_domain.rate_limits", "RateLimiter"),
    "SessionStore": ("itmj_domain.sessions", "SessionStore"),
    "ApiKeyRepository": ("itmj_domain.ports", "ApiKeyRepository"),
    "ApplicationRepository": ("itmj_domain.ports", "ApplicationRepository"),
    "CandidateIndex": ("itmj_domain.ports", "CandidateIndex"),
    "CandidateRepository": ("itmj_domain.ports", "CandidateRepository"),
    "ContractRepository": ("itmj_domain.ports", "ContractRepository"),
    "CountryDirectory": ("itmj_domain.ports", "CountryDirectory"),
    "CredentialRepository": ("itmj_domain.ports", "CredentialRepository"),
    "CreditLedger": ("itmj_domain.ports", "CreditLedger"),
    "DeliveryRepository": ("itmj_domain.ports", "DeliveryRepository"),
    "EmployerRepository": ("itmj_domain.ports", "EmployerRepository"),
    "EventEncoder": ("itmj_domain.ports", "EventEncoder"),
    "HealthProbe": ("itmj_domain.ports", "HealthProbe"),
    "HostResolver": ("itmj_domain.ports", "HostResolver"),
    "IdempotencyRepository": ("itmj_domain.ports", "IdempotencyRepository"),
    "IndexedCandidate": ("itmj_domain.ports", "IndexedCandidate"),
    "InvitationRepository": ("itmj_domain.ports", "InvitationRepository"),
    "JobRepository": ("itmj_domain.ports", "JobRepository"),
    "KeyUseLog": ("itmj_domain.ports", "KeyUseLog"),
    "LeaderLock": ("itmj_domain.ports", "LeaderLock"),
    "Notifier": ("itmj_domain.ports", "Notifier"),
    "OrderRepository": ("itmj_domain.ports", "OrderRepository"),
    "OutboundRequest": ("itmj_domain.ports", "OutboundRequest"),
    "Outbox": ("itmj_domain.ports", "Outbox"),
    "ParsedQuery": ("itmj_domain.ports", "ParsedQuery"),
    "PasswordResetRepository": ("itmj_domain.ports", "PasswordResetRepository"),
    "SearchFilters": ("itmj_domain.ports", "SearchFilters"),
    "SearchHits": ("itmj_domain.ports", "SearchHits"),
    "StaffRepository": ("itmj_domain.ports", "StaffRepository"),
    "SubscriptionRepository": ("itmj_domain.ports", "SubscriptionRepository"),
    "TaskQueue": ("itmj_domain.ports", "TaskQueue"),
    "UnitOfWork": ("itmj_domain.ports", "UnitOfWork"),
    "UnitOfWorkFactory": ("itmj_domain.ports", "UnitOfWorkFactory"),
    "UnlockRepository": ("itmj_domain.ports", "UnlockRepository"),
    "UserRepository": ("itmj_domain.ports", "UserRepository"),
    "WebhookSender": ("itmj_domain.ports", "WebhookSender"),
    # Use cases, and what they take and answer
    "Accounts": ("itmj_domain.services.accounts", "Accounts"),
    "PendingKey": ("itmj_domain.services.accounts", "PendingKey"),
    "Applications": ("itmj_domain.services.applications", "Applications"),
    "Authenticator": ("itmj_domain.services.authentication", "Authenticator"),
    "CandidateIndexing": ("itmj_domain.services.candidates", "CandidateIndexing"),
    "Candidates": ("itmj_domain.services.candidates", "Candidates"),
    "ImportLine": ("itmj_domain.services.candidates", "ImportLine"),
    "ImportReport": ("itmj_domain.services.candidates", "ImportReport"),
    "Rejection": ("itmj_domain.services.candidates", "Rejection"),
    "Console": ("itmj_domain.services.console", "Console"),
    "CreditOrders": ("itmj_domain.services.credit_orders", "CreditOrders"),
    "AccountOverview": ("itmj_domain.services.credits", "AccountOverview"),
    "Credits": ("itmj_domain.services.credits", "Credits"),
    "CandidateView": ("itmj_domain.services.cv_search", "CandidateView"),
    "CvSearch": ("itmj_domain.services.cv_search", "CvSearch"),
    "MaskedCandidate": ("itmj_domain.services.cv_search", "MaskedCandidate"),
    "SearchRequest": ("itmj_domain.services.cv_search", "SearchRequest"),
    "SearchResult": ("itmj_domain.services.cv_search", "SearchResult"),
    "EventLog": ("itmj_domain.services.event_log", "EventLog"),
    "EventPage": ("itmj_domain.services.event_log", "EventPage"),
    "JobExpiry": ("itmj_domain.services.job_expiry", "JobExpiry"),
    "JobPosting": ("itmj_domain.services.job_posting", "JobPosting"),
    "Expired": ("itmj_domain.services.periodic_work", "Expired"),
    "PeriodicWork": ("itmj_domain.services.periodic_work", "PeriodicWork"),
    "PortalAccounts": ("itmj_domain.services.portal_accounts", "PortalAccounts"),
    "SignedUp": ("itmj_domain.services.portal_accounts", "SignedUp"),
    "PortalSessions": ("itmj_domain.services.portal_sessions", "PortalSessions"),
    "OpenInvitation": ("itmj_domain.services.team", "OpenInvitation"),
    "Team": ("itmj_domain.services.team", "Team"),
    "Dispatch": ("itmj_domain.services.webhook_delivery", "Dispatch"),
    "WebhookDelivery": ("itmj_domain.services.webhook_delivery", "WebhookDelivery"),
    "CreatedSubscription": ("itmj_domain.services.webhooks", "CreatedSubscription"),
    "LoggedDelivery": ("itmj_domain.services.webhooks", "LoggedDelivery"),
    "Webhooks": ("itmj_domain.services.webhooks", "Webhooks"),
}

__all__ = [
    "AccountOverview",
    "Accounts",
    "AlreadyApplied",
    "ApiKey",
    "ApiKeyRepository",
    "Applicant",
    "Application",
    "ApplicationForm",
    "ApplicationRepository",
    "ApplicationStatus",
    "ApplicationStatusChanged",
    "ApplicationSubmitted",
    "Applications",
    "ApplyMethod",
    "Authenticator",
    "Balance",
    "Bundle",
    "Candidate",
    "CandidateIndex",
    "CandidateIndexing",
    "CandidateProfile",
    "CandidateRepository",
    "CandidateView",
    "Candidates",
    "Clock",
    "Console",
    "ContentChanges",
    "Contract",
    "ContractRepository",
    "Country",
    "CountryDirectory",
    "CreatedSubscription",
    "CredentialRepository",
    "CreditKind",
    "CreditLedger",
    "CreditOrder",
    "CreditOrders",
    "Credits",
    "CvReader",
    "CvSearch",
    "Delivery",
    "DeliveryRepository",
    "DeliveryStatus",
    "Dispatch",
    "DomainError",
    "Employer",
    "EmployerRepository",
    "EmploymentType",
    "EntryReason",
    "Event",
    "EventEncoder",
    "EventLog",
    "EventPage",
    "EventType",
    "Expired",
    "HealthProbe",
    "HostResolver",
    "IdempotencyRepository",
    "ImportLine",
    "ImportReport",
    "IndexedCandidate",
    "InvalidInput",
    "InvalidQuery",
    "InvalidState",
    "Invitation",
    "InvitationRepository",
    "JobBoard",
    "JobContent",
    "JobExpired",
    "JobExpiry",
    "JobPost",
    "JobPosting",
    "JobRepository",
    "JobStatus",
    "KeyStatus",
    "KeyUseLog",
    "LeaderLock",
    "LedgerEntry",
    "LimitedFamily",
    "LoggedDelivery",
    "MaskedCandidate",
    "MintedKey",
    "NoCredits",
    "NotFound",
    "Notifier",
    "OpenInvitation",
    "OpenJob",
    "OpenJobSearch",
    "OrderRepository",
    "OrderStatus",
    "OutboundRequest",
    "Outbox",
    "Page",
    "PageRequest",
    "ParsedQuery",
    "PasswordHasher",
    "PasswordResetRepository",
    "PendingKey",
    "PeriodicWork",
    "PortalAccounts",
    "PortalSessions",
    "Principal",
    "PrincipalKind",
    "QueryTooExpensive",
    "RateLimitDecision",
    "RateLimitPolicy",
    "RateLimiter",
    "Rejection",
    "RemoteType",
    "RetryPolicy",
    "Role",
    "SalaryPeriod",
    "Scope",
    "SearchDocument",
    "SearchField",
    "SearchFilters",
    "SearchHits",
    "SearchRequest",
    "SearchResult",
    "SessionStore",
    "SignedUp",
    "StaffMember",
    "StaffRepository",
    "Subscription",
    "SubscriptionRepository",
    "TaskQueue",
    "Team",
    "TooManyAttempts",
    "UnitOfWork",
    "UnitOfWorkFactory",
    "Unlock",
    "UnlockRepository",
    "User",
    "UserRepository",
    "WebhookDelivery",
    "WebhookSender",
    "WebhookTest",
    "Webhooks",
    "__version__",
    "matches",
    "new_webhook_secret",
    "parse_query",
    "sign_webhook",
    "verify_webhook_signature",
]

if not TYPE_CHECKING:
    # Hidden from type checkers, which would otherwise take any misspelt name for an object.

    def __getattr__(name: str) -> object:
        try:
            module, attribute = _HOMES[name]
        except KeyError:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
        value = getattr(importlib.import_module(module), attribute)
        globals()[name] = value
        return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
