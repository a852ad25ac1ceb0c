"""The demo seed behind ``itmj demo`` and ``itmj serve --demo``, on both backends: its keys
let a partner in at once, with the scopes their names promise."""

from itmj_cli import demo
from itmj_domain.api_keys import KeyStatus, Scope
from itmj_domain.credits import CreditKind
from itmj_domain.jobs import ApplyMethod, JobStatus, OpenJobSearch
from itmj_domain.pagination import PageRequest

# Where sign-in attempts come from (TEST-NET-3: no real address).
HERE = "203.0.113.7"


def test_every_demo_key_is_active_with_the_scopes_its_name_says(services):
    seeded = demo.seed(services)

    scopes = {}
    for name, plaintext in seeded.keys.items():
        key = services.authenticator.authenticate(plaintext)
        assert key is not None, name
        assert key.status is KeyStatus.ACTIVE
        assert key.employer_id == seeded.employer_id
        scopes[name] = key.scopes
    assert scopes == {
        "jobPosting": {Scope.JOB_POSTING},
        "cvSearch": {Scope.CV_SEARCH},
        "both": {Scope.JOB_POSTING, Scope.CV_SEARCH},
    }


def test_the_demo_employer_has_active_and_draft_jobs_and_credits_left(services):
    seeded = demo.seed(services)

    jobs = services.jobs.list(seeded.employer_id, None, PageRequest()).items
    statuses = sorted(job.status.value for job in jobs)
    assert statuses == ["Active", "Active", "Draft"]
    balance = services.credits.balance(seeded.employer_id)
    published = sum(1 for job in jobs if job.status is JobStatus.ACTIVE)
    assert balance.available(CreditKind.JOB_POSTING) == (
        demo.GRANTS[CreditKind.JOB_POSTING] - published
    )
    assert all(balance.available(kind) > 0 for kind in CreditKind)


def test_seeding_twice_makes_two_separate_demo_employers(services):
    first, second = demo.seed(services), demo.seed(services)

    assert first.employer_id != second.employer_id
    assert set(first.keys.values()).isdisjoint(second.keys.values())


def test_the_printed_form_is_the_documented_one(services):
    seeded = demo.seed(services)

    assert seeded.as_json("http://127.0.0.1:8000") == {
        "employerId": seeded.employer_id,
        "keys": {
            "jobPosting": seeded.keys["jobPosting"],
            "cvSearch": seeded.keys["cvSearch"],
            "both": seeded.keys["both"],
        },
        "portal": {
            "url": "http://127.0.0.1:8000/account/signin",
            "employerAdmin": {"email": seeded.admin.email, "password": seeded.admin.password},
            "consoleUrl": "http://127.0.0.1:8000/platform/signin",
            "staff": {"email": seeded.staff.email, "password": seeded.staff.password},
        },
    }


def test_the_demo_admin_and_staff_sign_in_with_the_printed_passwords(services):
    first, second = demo.seed(services), demo.seed(services)

    assert first.admin.email == "it.admin@northwind.example"
    assert second.admin.email == f"it.admin+{second.employer_id}@northwind.example"
    for seeded in (first, second):
        admin = services.portal_accounts.sign_in(seeded.admin.email, seeded.admin.password, HERE)
        assert admin is not None
        assert admin.employer_id == seeded.employer_id
        assert admin.is_admin
        assert services.portal_accounts.sign_in_staff(seeded.staff.email,
                                                      seeded.staff.password, HERE) is not None
    assert first.admin.password != second.admin.password


def test_the_demo_fills_the_public_job_board_from_several_employers(services):
    demo.seed(services)
    found = services.job_board.search(OpenJobSearch(), PageRequest(1, 100))
    employers = {offered.employer_name for offered in found.items}
    assert len(employers) >= 4 and found.total >= 12
    methods = {offered.job.content.apply_method for offered in found.items}
    assert methods == set(ApplyMethod)
    assert len(services.job_board.countries()) >= 5
