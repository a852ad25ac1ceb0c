"""The synchronous queue runs a task as a worker would, after its change committed: a
task that fails is logged, never reported to the caller, whose retry would repeat it."""

import logging

import attrs

from itmj_adapters.composition import build_services
from itmj_adapters.settings import Settings
from itmj_adapters.tasks_synchronous import SynchronousTaskQueue, TaskRunners
from itmj_domain.services.applications import Applications
from tests.use_cases.test_webhooks import active_job, candidate


class UnreachableStore:
    """A unit-of-work factory whose database has gone away."""

    def __call__(self, *, read_only: bool = False):
        raise ConnectionError("the database went away")


def test_a_task_that_fails_after_the_commit_leaves_the_commit_reported(clock, caplog):
    services = build_services(Settings(), clock=clock)
    employer = services.accounts.create_employer("Acme")
    job = active_job(services, employer.id)
    runners = TaskRunners(attrs.evolve(services.webhook_delivery, uow=UnreachableStore()),
                          services.candidate_indexing, services.portal_accounts)
    queue = SynchronousTaskQueue(lambda: runners)
    applications = Applications(services.uow, clock, queue)
    with caplog.at_level(logging.ERROR, logger="itmj_adapters.tasks_synchronous"):
        submitted = applications.submit(job.id, candidate(services, clock))
    assert services.applications.get(employer.id, job.id, submitted.id) == submitted
    [logged] = [r for r in caplog.records if r.name == "itmj_adapters.tasks_synchronous"]
    assert logged.getMessage() == "task dispatch failed; what was committed stands"
    assert logged.exc_info is not None
    services.close()
