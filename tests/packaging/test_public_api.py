"""The public API is the names in ``__all__`` of ``itmj_domain``, ``itmj_adapters`` and
``itmj_adapters.testing``; this file pins them.

Adding a name means adding it here. Removing or renaming one fails these tests on purpose: it
breaks every embedder who imports it, so it waits for the next major version, after a
deprecation (README, "Versioning"), and the CHANGELOG says so.
"""

import ast
import importlib
import importlib.metadata
import subprocess
import sys
from pathlib import Path

import pytest

import itmj_adapters
import itmj_adapters.testing
import itmj_domain

ROOT = Path(__file__).parents[2]

DOMAIN = [
    "AccountOverview", "Accounts", "ApiKey", "ApiKeyRepository", "Application",
    "ApplicationRepository", "ApplicationStatus", "ApplicationStatusChanged",
    "ApplicationSubmitted", "Applications", "ApplyMethod", "Authenticator", "Balance", "Bundle",
    "Candidate", "CandidateIndex", "CandidateIndexing", "CandidateProfile",
    "CandidateRepository", "CandidateView", "Candidates", "Clock", "Console", "ContentChanges",
    "Contract", "ContractRepository", "Country", "CountryDirectory", "CreatedSubscription",
    "CredentialRepository", "CreditKind", "CreditLedger", "CreditOrder", "CreditOrders",
    "Credits", "CvSearch", "Delivery", "DeliveryRepository", "DeliveryStatus", "Dispatch",
    "DomainError", "Employer", "EmployerRepository", "EmploymentType", "EntryReason", "Event",
    "EventEncoder", "EventLog", "EventPage", "EventType", "Expired", "HealthProbe",
    "HostResolver", "IdempotencyRepository",
    "ImportLine", "ImportReport", "IndexedCandidate", "InvalidInput", "InvalidQuery",
    "InvalidState", "Invitation", "InvitationRepository", "JobContent", "JobExpired",
    "JobExpiry", "JobPost", "JobPosting", "JobRepository", "JobStatus", "KeyStatus",
    "KeyUseLog", "LeaderLock", "LedgerEntry", "LimitedFamily", "LoggedDelivery",
    "MaskedCandidate", "MintedKey", "NoCredits", "NotFound", "Notifier", "OpenInvitation",
    "OrderRepository", "OrderStatus", "OutboundRequest", "Outbox", "Page", "PageRequest",
    "ParsedQuery", "PasswordHasher", "PasswordResetRepository", "PendingKey", "PeriodicWork",
    "PortalAccounts",
    "PortalSessions", "Principal", "PrincipalKind", "QueryTooExpensive", "RateLimitDecision",
    "RateLimitPolicy", "RateLimiter", "Rejection", "RemoteType", "RetryPolicy", "Role",
    "SalaryPeriod", "Scope", "SearchDocument", "SearchField", "SearchFilters", "SearchHits",
    "SearchRequest", "SearchResult", "SessionStore", "SignedUp", "StaffMember",
    "StaffRepository", "Subscription", "SubscriptionRepository", "TaskQueue", "Team",
    "TooManyAttempts", "UnitOfWork", "UnitOfWorkFactory", "Unlock", "UnlockRepository", "User",
    "UserRepository", "WebhookDelivery", "WebhookSender", "WebhookTest", "Webhooks",
    "AlreadyApplied", "Applicant", "ApplicationForm", "CvReader", "JobBoard", "OpenJob",
    "OpenJobSearch",
    "__version__", "matches", "new_webhook_secret", "parse_query", "sign_webhook",
    "verify_webhook_signature",
]  # fmt: skip

ADAPTERS = [
    "CONNECTION_REFUSED", "TIMED_OUT", "ManualClock", "MissingExtra", "Mode",
    "NotAManualClock", "RecordingNotifier", "RecordingSender", "SchemaBehind", "SentEmail",
    "Services", "Settings",
    "build_services", "migrate", "run_due",
]  # fmt: skip

TESTING = [
    "CONNECTION_REFUSED", "TIMED_OUT", "ManualClock", "NotAManualClock", "RecordingNotifier",
    "RecordingSender", "SentEmail", "run_due",
]  # fmt: skip

PACKAGES = [itmj_domain, itmj_adapters]


def test_the_domain_names_are_pinned():
    assert sorted(itmj_domain.__all__) == sorted(DOMAIN)


def test_the_adapter_names_are_pinned():
    assert sorted(itmj_adapters.__all__) == sorted(ADAPTERS)


def test_the_testing_kit_names_are_pinned():
    assert sorted(itmj_adapters.testing.__all__) == sorted(TESTING)


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.__name__)
def test_every_public_name_is_the_object_where_it_lives(package):
    for name, (module, attribute) in package._HOMES.items():
        assert getattr(package, name) is getattr(importlib.import_module(module), attribute)
    assert set(package.__all__) - {"__version__"} == set(package._HOMES)


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.__name__)
def test_type_checkers_see_the_same_names_as_the_runtime(package):
    """The ``if TYPE_CHECKING:`` imports (what mypy reads) and the table ``__getattr__``
    loads from (what Python runs) name the same objects."""
    tree = ast.parse(Path(package.__file__).read_text(encoding="utf-8"))
    block = next(
        node for node in tree.body
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"
    )
    seen = {
        alias.asname: (node.module, alias.name)
        for node in block.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    assert seen == package._HOMES


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.__name__)
def test_an_unknown_name_is_an_attribute_error(package):
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        package.Nope  # noqa: B018


def test_the_version_is_the_distributions():
    assert itmj_domain.__version__ == importlib.metadata.version("itmj-platform")


def test_the_changelog_has_the_version():
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## [{itmj_domain.__version__}]" in changelog


@pytest.mark.parametrize("package", ["itmj_domain", "itmj_adapters"])
def test_importing_a_package_loads_none_of_its_modules(package):
    """The names load on first use: ``import itmj_domain.search`` does not import the use
    cases, and ``import itmj_adapters.settings`` no backend (only the few lines that name a
    missing extra)."""
    code = (
        f"import sys, {package}; "
        f"print(sorted(m for m in sys.modules if m.startswith('{package}.')))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert set(ast.literal_eval(loaded)) <= {"itmj_adapters.extras"}
