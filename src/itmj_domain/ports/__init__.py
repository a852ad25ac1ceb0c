"""The ports the use cases need. Adapters satisfy these structurally.

One module per concern — ``persistence`` (repositories behind a unit of work, reference data),
``messaging`` (email, webhooks, background tasks), ``search`` (the candidate index) and
``infrastructure`` (key-use buffering, health, leadership) — and every name is re-exported
here, so ``from itmj_domain.ports import UnitOfWork`` is how the rest of the code imports them.
"""

from itmj_domain.ports.infrastructure import HealthProbe, KeyUseLog, LeaderLock
from itmj_domain.ports.messaging import (
    DeliveryLog,
    EventEncoder,
    HostResolver,
    Notifier,
    OutboundRequest,
    TaskQueue,
    WebhookSender,
)
from itmj_domain.ports.persistence import (
    ApiKeyRepository,
    ApplicationRepository,
    CandidateRepository,
    ContractRepository,
    CountryDirectory,
    CredentialRepository,
    CreditLedger,
    DeliveryRepository,
    EmployerRepository,
    IdempotencyRepository,
    InvitationRepository,
    JobRepository,
    OrderRepository,
    Outbox,
    PasswordResetRepository,
    StaffRepository,
    SubscriptionRepository,
    UnitOfWork,
    UnitOfWorkFactory,
    UnlockRepository,
    UserRepository,
)
from itmj_domain.ports.search import (
    CandidateIndex,
    IndexedCandidate,
    ParsedQuery,
    SearchFilters,
    SearchHits,
    indexed,
)

__all__ = [
    "ApiKeyRepository",
    "ApplicationRepository",
    "CandidateIndex",
    "CandidateRepository",
    "ContractRepository",
    "CountryDirectory",
    "CredentialRepository",
    "CreditLedger",
    "DeliveryLog",
    "DeliveryRepository",
    "EmployerRepository",
    "EventEncoder",
    "HealthProbe",
    "HostResolver",
    "IdempotencyRepository",
    "IndexedCandidate",
    "InvitationRepository",
    "JobRepository",
    "KeyUseLog",
    "LeaderLock",
    "Notifier",
    "OrderRepository",
    "OutboundRequest",
    "Outbox",
    "ParsedQuery",
    "PasswordResetRepository",
    "SearchFilters",
    "SearchHits",
    "StaffRepository",
    "SubscriptionRepository",
    "TaskQueue",
    "UnitOfWork",
    "UnitOfWorkFactory",
    "UnlockRepository",
    "UserRepository",
    "WebhookSender",
    "indexed",
]
