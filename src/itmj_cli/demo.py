"""The demo employer: what ``itmj demo`` and ``itmj serve --demo`` seed.

A trusted partner, so that its three keys are Active at once, with credits of every kind, one
admin, two Active jobs and one Draft: enough for a first call to show something and for a
publish to succeed. The admin and a platform staff member can sign in to the portal and the
console with passwords made up for this seed and printed with the keys. Besides, a few
hundred synthetic candidates to search, always the same ones (upserted by their external ids,
so seeding again adds none), dated back from the services' clock so that some are always
recently active; and a few written for SPEC §10's search example, ``"Process Engineer" AND
"HVAC"``, active within 90 days and wanting to work in the United Arab Emirates
(``EXAMPLE_COUNTRY_ID``), so that the example in the README and the partner guide finds them.
Other employers (``BOARD``, new ones at each seed, with neither users nor keys) publish a dozen
jobs in several countries and with every apply method, so that the public job pages
(``/jobs``) are worth a look.
"""

import argparse
import secrets
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any, TypeVar

import attrs

from itmj_adapters.composition import Services
from itmj_cli import staff
from itmj_cli.candidate_lines import read_records
from itmj_cli.verbs import Verb, add_verbs
from itmj_domain.accounts import Role
from itmj_domain.api_keys import Scope
from itmj_domain.credits import CreditKind
from itmj_domain.errors import InvalidInput
from itmj_domain.jobs import ApplyMethod, EmploymentType, JobContent, RemoteType, SalaryPeriod
from itmj_domain.principals import Principal, PrincipalKind

EMPLOYER_NAME = "Northwind Systems (demo)"
ADMIN_NAME = "Dana Demo"
ADMIN_EMAIL = "it.admin@northwind.example"
STAFF_EMAIL = "staff@itmanagerjobs.example"
GRANTS = {CreditKind.JOB_POSTING: 10, CreditKind.CV_SEARCH: 25, CreditKind.CV_DOWNLOAD: 10}
KEYS = {
    "jobPosting": frozenset({Scope.JOB_POSTING}),
    "cvSearch": frozenset({Scope.CV_SEARCH}),
    "both": frozenset({Scope.JOB_POSTING, Scope.CV_SEARCH}),
}
T = TypeVar("T")
CANDIDATES = 300
CANDIDATES_SEED = 2026
# ISO 3166-1 numeric: the United Arab Emirates, where most demo candidates want to work.
EXAMPLE_COUNTRY_ID = 784
# SPEC §10's search example, with a country the demo holds (what the README shows).
SEARCH_EXAMPLE = {
    "query": '"Process Engineer" AND "HVAC"', "preferredCountryIds": [EXAMPLE_COUNTRY_ID],
    "activeWithinDays": 90, "pageNumber": 1, "pageSize": 20,
}
# (external id, full name, city, country, preferred countries, days since last active)
SHOWCASE = (
    ("demo-showcase-1", "Priya Eapen", "Dubai", 784, [784, 682], 2),
    ("demo-showcase-2", "Omar Haddad", "Abu Dhabi", 784, [784], 15),
    ("demo-showcase-3", "Emma Taylor", "London", 826, [826, 784], 45),
)
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

# (employer, [(title, description, city, country, employment, remote, how to apply)]);
# ``None`` as the way to apply is PortalApply, the job pages' own form.
_BOARD_JOB = tuple[str, str, str, str, EmploymentType, RemoteType, str | None]
BOARD: tuple[tuple[str, tuple[_BOARD_JOB, ...]], ...] = (
    ("Contoso Health (demo)", (
        ("Head of IT Operations", "Run the service desk, infrastructure and vendor contracts "
         "of a 40-clinic healthcare group; ITIL v4 and NHS DSPT experience wanted.",
         "Birmingham", "United Kingdom", EmploymentType.FULL_TIME, RemoteType.HYBRID_REMOTE,
         None),
        ("IT Security Manager", "Own our ISO 27001 programme, the SOC partner and incident "
         "response across hospitals and clinics.", "Bristol", "United Kingdom",
         EmploymentType.FULL_TIME, RemoteType.ON_SITE, "careers@contoso-health.example"),
        ("Interim Programme Manager, EPR", "Lead the electronic patient record roll-out "
         "for six months.", "Dublin", "Ireland", EmploymentType.CONTRACT,
         RemoteType.HYBRID_REMOTE, None),
    )),
    ("Fabrikam Logistics (demo)", (
        ("IT Manager, Warehouses", "Keep 12 distribution centres running: WMS, handhelds, "
         "Wi-Fi and a team of six field engineers.", "Rotterdam", "Netherlands",
         EmploymentType.FULL_TIME, RemoteType.ON_SITE, None),
        ("Head of Cloud Platform", "Move our TMS to AWS and build the platform team around "
         "it; Kubernetes and Terraform.", "Hamburg", "Germany", EmploymentType.FULL_TIME,
         RemoteType.FULLY_REMOTE, "https://jobs.fabrikam.example/cloud"),
        ("Network Operations Lead", "SD-WAN across 40 sites, Cisco and Fortinet, on call one "
         "week in six.", "Antwerp", "Belgium", EmploymentType.FULL_TIME,
         RemoteType.HYBRID_REMOTE, None),
    )),
    ("Tailspin Aviation (demo)", (
        ("IT Director, Middle East", "Lead IT for our Gulf operations: airport systems, "
         "crew apps and a regional team of 25.", "Dubai", "United Arab Emirates",
         EmploymentType.FULL_TIME, RemoteType.ON_SITE, None),
        ("Service Delivery Manager", "Own SLAs with our outsourcing partners and the "
         "monthly service reviews.", "Doha", "Qatar", EmploymentType.FULL_TIME,
         RemoteType.ON_SITE, "https://careers.tailspin.example/sdm"),
        ("ERP Programme Manager", "SAP S/4HANA migration, finance and maintenance modules.",
         "Abu Dhabi", "United Arab Emirates", EmploymentType.CONTRACT,
         RemoteType.HYBRID_REMOTE, None),
    )),
    ("Woodgrove Bank (demo)", (
        ("Head of End-User Computing", "10,000 devices, Intune and a Windows 11 estate; "
         "lead a team of 14.", "Edinburgh", "United Kingdom", EmploymentType.FULL_TIME,
         RemoteType.HYBRID_REMOTE, None),
        ("IT Risk Manager", "Second line of defence for technology risk: DORA, third "
         "parties and resilience testing.", "Frankfurt", "Germany", EmploymentType.FULL_TIME,
         RemoteType.HYBRID_REMOTE, "it-risk@woodgrove.example"),
        ("Data Centre Manager", "Two tier-III sites, power and cooling upgrades, and the "
         "move of the second site to colocation.", "New York", "United States",
         EmploymentType.FULL_TIME, RemoteType.ON_SITE, None),
    )),
)


@attrs.frozen
class SignIn:
    email: str
    password: str

    def as_json(self) -> dict[str, str]:
        return {"email": self.email, "password": self.password}


@attrs.frozen
class DemoSeed:
    employer_id: int
    keys: dict[str, str]
    admin: SignIn
    staff: SignIn

    def as_json(self, portal_url: str) -> dict[str, Any]:
        return {
            "employerId": self.employer_id,
            "keys": dict(self.keys),
            "portal": {
                "url": f"{portal_url}/account/signin",
                "employerAdmin": self.admin.as_json(),
                "consoleUrl": f"{portal_url}/platform/signin",
                "staff": self.staff.as_json(),
            },
        }


def seed(built: Services) -> DemoSeed:
    from itmj_adapters import synthetic_candidates

    now = built.clock.now()
    built.candidates.import_profiles(
        read_records(synthetic_candidates.generate(CANDIDATES, CANDIDATES_SEED, now))
    )
    built.candidates.import_profiles(read_records(_showcase(now)))
    employer = built.accounts.create_employer(EMPLOYER_NAME, trusted_partner=True)
    admin = _first_free(
        lambda email: built.accounts.add_user(employer.id, email, Role.EMPLOYER_ADMIN,
                                              ADMIN_NAME),
        ADMIN_EMAIL, employer.id,
    )
    member = _first_free(lambda email: built.portal_accounts.add_staff(email)[0], STAFF_EMAIL,
                         employer.id)
    admin_password, staff_password = _password(), _password()
    built.portal_accounts.set_password(Principal(PrincipalKind.USER, admin.id), admin_password)
    built.portal_accounts.set_password(Principal(PrincipalKind.STAFF, member.id),
                                       staff_password)
    for kind, amount in GRANTS.items():
        built.credits.grant(employer.id, kind, amount, reference="demo")
    for content, publish in JOBS:
        job = built.jobs.create(employer.id, content)
        if publish:
            built.jobs.publish(employer.id, job.id)
    _post_board(built)
    keys = {
        name: built.accounts.mint_key(
            employer.id, f"demo {name}", scopes, created_by=admin.id
        ).plaintext
        for name, scopes in KEYS.items()
    }
    return DemoSeed(employer.id, keys, SignIn(admin.email, admin_password),
                    SignIn(member.email, staff_password))


def _showcase(now: datetime) -> Iterator[dict]:
    for external_id, name, city, country, preferred, days in SHOWCASE:
        first = name.split()[0].lower()
        yield {
            "externalId": external_id,
            "fullName": name,
            "email": f"{first}.{external_id}@example.com",
            "phone": "+971 50 0000000" if country == 784 else "+44 20 0000 0000",
            "headline": "Senior Process Engineer",
            "summary": f"Process Engineer with HVAC and chilled-water experience on gas "
            f"processing plants and district cooling; based in {city}.",
            "skills": ["HVAC", "Process Design", "HAZOP", "Aspen HYSYS", "P&ID"],
            "city": city,
            "countryId": country,
            "preferredCountryIds": preferred,
            "lastActiveAt": (now - timedelta(days=days)).replace(microsecond=0)
            .strftime("%Y-%m-%dT%H:%M:%SZ"),
        }


def _post_board(built: Services) -> None:
    for name, jobs in BOARD:
        other = built.accounts.create_employer(name)
        built.credits.grant(other.id, CreditKind.JOB_POSTING, len(jobs), reference="demo")
        for title, description, city, country, employment, remote, apply_to in jobs:
            job = built.jobs.create(other.id, JobContent(
                title=title, description=description, city=city, country=country,
                employment_type=employment, remote_type=remote, **_apply_method(apply_to),
            ))
            built.jobs.publish(other.id, job.id)


def _apply_method(apply_to: str | None) -> dict[str, Any]:
    if apply_to is None:
        return {"apply_method": ApplyMethod.PORTAL_APPLY}
    if apply_to.startswith("https://"):
        return {"apply_method": ApplyMethod.URL_APPLY, "apply_url": apply_to}
    return {"apply_method": ApplyMethod.EMAIL_APPLY, "apply_email_address": apply_to}


def _first_free(add: Callable[[str], T], email: str, employer_id: int) -> T:
    """The usual demo address, or, when an earlier seed in the same database took it, one
    tagged with this seed's employer id: an email signs in to one account only."""
    try:
        return add(email)
    except InvalidInput:
        local, _, domain = email.partition("@")
        return add(f"{local}+{employer_id}@{domain}")


def _password() -> str:
    """Made up for each seed: a demo on a reachable machine is still not an open door."""
    return secrets.token_urlsafe(12)


VERBS = (
    Verb("demo", "seed a demo employer and print its keys", (),
         lambda built, _args: seed(built).as_json(
             built.settings.public_url or staff.DEFAULT_PUBLIC_URL
         )),
)


def register(commands: argparse._SubParsersAction) -> None:
    add_verbs(commands, VERBS)
