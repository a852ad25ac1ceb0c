"""The demo employer: what ``itmj demo`` and ``itmj serve --demo`` seed.

A trusted partner, so that its three keys are Active at once, with credits of every kind, one
admin, two Active jobs and one Draft: enough for a first call to show something and for a
publish to succeed. Besides, a few hundred synthetic candidates to search, always the same ones
(upserted by their external ids, so seeding again adds none).
"""

import argparse
from typing import Any

import attrs

from itmj_adapters.composition import Services
from itmj_adapters.settings import Settings
from itmj_cli import services
from itmj_cli.candidate_lines import read_records
from itmj_cli.output import print_json
from itmj_domain.accounts import Role
from itmj_domain.api_keys import Scope
from itmj_domain.credits import CreditKind
from itmj_domain.jobs import ApplyMethod, EmploymentType, JobContent, RemoteType, SalaryPeriod

EMPLOYER_NAME = "Northwind Systems (demo)"
ADMIN_EMAIL = "it.admin@northwind.example"
GRANTS = {CreditKind.JOB_POSTING: 10, CreditKind.CV_SEARCH: 25, CreditKind.CV_DOWNLOAD: 10}
KEYS = {
    "jobPosting": frozenset({Scope.JOB_POSTING}),
    "cvSearch": frozenset({Scope.CV_SEARCH}),
    "both": frozenset({Scope.JOB_POSTING, Scope.CV_SEARCH}),
}
CANDIDATES = 300
CANDIDATES_SEED = 2026
JOBS = (
    (
        JobContent(
            title="IT Infrastructure Manager",
            reference="NW-INFRA-001",
            description="Lead a team of eight running our data centres, networks and "
            "end-user computing across three UK sites.",
            city="London",
            country="United Kingdom",
            employment_type=EmploymentType.FULL_TIME,
            remote_type=RemoteType.HYBRID_REMOTE,
            apply_method=ApplyMethod.EMAIL_APPLY,
            apply_email_address="jobs@northwind.example",
            salary_min=85_000,
            salary_max=100_000,
            salary_currency="GBP",
            salary_period=SalaryPeriod.YEAR,
        ),
        True,
    ),
    (
        JobContent(
            title="Head of Cloud Platform",
            reference="NW-CLOUD-002",
            description="Own our AWS and Azure landing zones, the platform team and its "
            "budget; Kubernetes and Terraform experience expected.",
            city="Manchester",
            country="United Kingdom",
            employment_type=EmploymentType.FULL_TIME,
            remote_type=RemoteType.FULLY_REMOTE,
            apply_method=ApplyMethod.URL_APPLY,
            apply_url="https://careers.northwind.example/cloud",
        ),
        True,
    ),
    (
        JobContent(
            title="Service Desk Team Lead",
            reference="NW-DESK-003",
            description="Run a twelve-strong first-line service desk on a six-month contract.",
            city="Leeds",
            country="United Kingdom",
            employment_type=EmploymentType.CONTRACT,
            remote_type=RemoteType.ON_SITE,
            apply_method=ApplyMethod.PORTAL_APPLY,
        ),
        False,
    ),
)


@attrs.frozen
class DemoSeed:
    employer_id: int
    keys: dict[str, str]

    def as_json(self) -> dict[str, Any]:
        return {"employerId": self.employer_id, "keys": dict(self.keys)}


def seed(built: Services) -> DemoSeed:
    from itmj_adapters import synthetic_candidates

    built.candidates.import_profiles(
        read_records(synthetic_candidates.generate(CANDIDATES, CANDIDATES_SEED))
    )
    employer = built.accounts.create_employer(EMPLOYER_NAME, trusted_partner=True)
    admin = built.accounts.add_user(employer.id, ADMIN_EMAIL, Role.EMPLOYER_ADMIN)
    for kind, amount in GRANTS.items():
        built.credits.grant(employer.id, kind, amount, reference="demo")
    for content, publish in JOBS:
        job = built.jobs.create(employer.id, content)
        if publish:
            built.jobs.publish(employer.id, job.id)
    keys = {
        name: built.accounts.mint_key(
            employer.id, f"demo {name}", scopes, created_by=admin.id
        ).plaintext
        for name, scopes in KEYS.items()
    }
    return DemoSeed(employer.id, keys)


def register(commands: argparse._SubParsersAction) -> None:
    demo = commands.add_parser("demo", help="seed a demo employer and print its keys")
    demo.set_defaults(run=seed_demo)


def seed_demo(_args: argparse.Namespace, settings: Settings) -> None:
    with services.opened(settings) as built:
        print_json(seed(built).as_json())
