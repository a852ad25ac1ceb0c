"""A hiring board another team builds on the ITManagerJobs library: it posts its clients'
jobs, hears when they expire, and checks search queries before it spends a credit on them.

It imports only public names (``itmj_domain``, ``itmj_adapters``), and CI type-checks it
with mypy --strict and runs its tests against the installed package.
"""

from collections.abc import Sequence
from datetime import timedelta

from itmj_adapters import Services, Settings, build_services
from itmj_domain import (
    ApplyMethod,
    CreatedSubscription,
    CreditKind,
    Employer,
    EmploymentType,
    EventType,
    InvalidQuery,
    JobContent,
    JobPost,
    RemoteType,
    RetryPolicy,
    parse_query,
)

HOOK_URL = "https://board.example/hooks/itmj"


class FixedResolver:
    """Satisfies the ``HostResolver`` port: each host name resolves to the addresses given
    (the board runs behind a split-horizon DNS it does not want the library to ask)."""

    def __init__(self, addresses: Sequence[str]) -> None:
        self._addresses = list(addresses)

    def addresses(self, host: str, port: int) -> Sequence[str]:
        return self._addresses


def open_client(services: Services, name: str, job_credits: int) -> Employer:
    employer = services.accounts.create_employer(name)
    if job_credits:
        services.credits.grant(employer.id, CreditKind.JOB_POSTING, job_credits)
    return employer


def post_job(services: Services, employer: Employer, title: str, email: str) -> JobPost:
    """Create and publish at once: one job-posting credit, listed for 30 days."""
    draft = services.jobs.create(
        employer.id,
        JobContent(
            title=title,
            description=f"{title}, posted through the hiring board.",
            employment_type=EmploymentType.FULL_TIME,
            remote_type=RemoteType.HYBRID_REMOTE,
            apply_method=ApplyMethod.EMAIL_APPLY,
            apply_email_address=email,
        ),
    )
    return services.jobs.publish(employer.id, draft.id)


def hear_expiries(services: Services, employer: Employer) -> CreatedSubscription:
    return services.webhooks.subscribe(employer.id, HOOK_URL, frozenset({EventType.JOB_EXPIRED}))


def query_problem(text: str) -> str | None:
    """Why a CV search query would be refused, or None when it parses."""
    try:
        parse_query(text)
    except InvalidQuery as error:
        return str(error)
    return None


def retry_schedule(policy: RetryPolicy | None = None) -> list[timedelta]:
    """When a failing webhook is tried again, after each failed attempt (by default, the
    SPEC's schedule)."""
    policy = policy or RetryPolicy()
    delays = (policy.delay_after(failed) for failed in range(1, policy.max_attempts))
    return [delay for delay in delays if delay is not None]


def main() -> None:
    with build_services(Settings(), resolver=FixedResolver(["93.184.215.14"])) as services:
        client = open_client(services, "Northwind", job_credits=2)
        job = post_job(services, client, "IT Manager", "jobs@northwind.example")
        print(job.status.value, services.credits.balance(client.id).available(
            CreditKind.JOB_POSTING
        ))


if __name__ == "__main__":
    main()
