"""Employers, users, credits, contracts and keys through the command line, in process, on
PostgreSQL: each command is its own process in real use, so only a database carries state
from one to the next."""

import pytest

from itmj_adapters.argon2_hasher import Argon2PasswordHasher
from itmj_adapters.composition import build_services
from itmj_adapters.settings import Settings

# Where sign-in attempts come from (TEST-NET-3: no real address).
HERE = "203.0.113.7"

pytestmark = pytest.mark.postgres


@pytest.fixture
def cli(run_cli, postgres_env):
    def run(*argv: str):
        return run_cli(list(argv), postgres_env)

    return run


@pytest.fixture
def employer_id(cli) -> int:
    return cli("employer", "create", "--name", "Acme Hiring Ltd").json()["id"]


def test_a_user_is_printed_with_its_role(cli, employer_id):
    user = cli("user", "add", "--employer", str(employer_id), "--email",
               "ada@acme.example", "--role", "EmployerAdmin").json()

    assert user["employerId"] == employer_id
    assert user["email"] == "ada@acme.example"
    assert user["role"] == "EmployerAdmin"
    assert isinstance(user["id"], int)
    assert user["createdAt"].endswith("Z")


def test_a_user_needs_an_email_address(cli, employer_id):
    result = cli("user", "add", "--employer", str(employer_id), "--email", "ada",
                 "--role", "EmployerAdmin")

    assert result.code == 1
    assert result.error_lines == ["itmj: email must be an email address"]


def test_grants_add_up_in_the_balance(cli, employer_id):
    first = cli("credits", "grant", "--employer", str(employer_id), "--kind", "JobPosting",
                "--amount", "5").json()
    second = cli("credits", "grant", "--employer", str(employer_id), "--kind", "JobPosting",
                 "--amount", "3").json()
    cli("credits", "grant", "--employer", str(employer_id), "--kind", "CvDownload",
        "--amount", "2").json()

    assert (first["amount"], first["kind"], first["balance"]) == (5, "JobPosting", 5)
    assert second["balance"] == 8
    assert cli("credits", "balance", "--employer", str(employer_id)).json() == {
        "JobPosting": 8, "CvSearch": 0, "CvDownload": 2, "unlimited": [],
    }


def test_a_grant_out_of_range_changes_nothing(cli, employer_id):
    result = cli("credits", "grant", "--employer", str(employer_id), "--kind", "CvSearch",
                 "--amount", "0")

    assert result.code == 1
    assert result.error_lines == ["itmj: amount must be between 1 and 1000000"]
    assert cli("credits", "balance", "--employer", str(employer_id)).json()["CvSearch"] == 0


def test_a_contract_makes_its_kinds_unlimited_within_its_window(cli, employer_id):
    contract = cli("contract", "add", "--employer", str(employer_id), "--kinds",
                   "JobPosting,CvSearch", "--from", "2020-01-01",
                   "--until", "2100-01-01T12:30:00+02:00").json()

    assert contract["kinds"] == ["CvSearch", "JobPosting"]
    assert contract["validFrom"] == "2020-01-01T00:00:00Z"
    assert contract["validUntil"] == "2100-01-01T10:30:00Z"
    balance = cli("credits", "balance", "--employer", str(employer_id)).json()
    assert balance["unlimited"] == ["CvSearch", "JobPosting"]


def test_a_contract_that_ends_before_it_starts_is_refused(cli, employer_id):
    result = cli("contract", "add", "--employer", str(employer_id), "--kinds", "CvSearch",
                 "--from", "2026-06-01", "--until", "2026-05-01")

    assert result.code == 1
    assert result.error_lines == ["itmj: valid_until must be after valid_from"]
    assert cli("credits", "balance", "--employer", str(employer_id)).json()["unlimited"] == []


def test_a_job_posting_key_of_an_employer_with_credits_is_active_at_once(cli, employer_id):
    cli("credits", "grant", "--employer", str(employer_id), "--kind", "JobPosting",
        "--amount", "1").json()

    minted = cli("key", "mint", "--employer", str(employer_id), "--name", "Bullhorn",
                 "--scope", "JobPosting").json()

    assert set(minted) == {"id", "key", "status"}
    assert minted["status"] == "Active"
    assert minted["key"].startswith("pk_live_")


def test_a_cv_search_key_waits_for_approval_then_lists_without_its_secret(cli, employer_id):
    minted = cli("key", "mint", "--employer", str(employer_id), "--name", "Vincere",
                 "--scope", "JobPosting", "--scope", "CvSearch",
                 "--expires", "2100-01-01").json()
    assert minted["status"] == "PendingApproval"

    approved = cli("key", "approve", str(minted["id"])).json()
    listing = cli("key", "list", "--employer", str(employer_id))

    assert approved["status"] == "Active"
    assert approved["approvedAt"].endswith("Z")
    assert minted["key"] not in listing.stdout
    assert listing.json() == [approved]
    assert approved == {
        "id": minted["id"],
        "employerId": employer_id,
        "name": "Vincere",
        "prefix": minted["key"][:14],
        "scopes": ["CvSearch", "JobPosting"],
        "status": "Active",
        "createdAt": approved["createdAt"],
        "expiresAt": "2100-01-01T00:00:00Z",
        "approvedAt": approved["approvedAt"],
        "lastUsedAt": None,
    }


def test_a_rejected_key_cannot_be_approved_later(cli, employer_id):
    minted = cli("key", "mint", "--employer", str(employer_id), "--name", "Mercury",
                 "--scope", "CvSearch").json()

    assert cli("key", "reject", str(minted["id"])).json()["status"] == "Rejected"
    result = cli("key", "approve", str(minted["id"]))

    assert result.code == 1
    assert result.error_lines == ["itmj: only a pending key can be approved (key is Rejected)"]


def test_revoking_is_final_and_harmless_twice(cli, employer_id):
    minted = cli("key", "mint", "--employer", str(employer_id), "--name", "JobAdder",
                 "--scope", "JobPosting").json()

    assert cli("key", "revoke", str(minted["id"])).json()["status"] == "Revoked"
    assert cli("key", "revoke", str(minted["id"])).json()["status"] == "Revoked"
    assert [k["status"] for k in cli("key", "list", "--employer", str(employer_id)).json()] == [
        "Revoked"
    ]


@pytest.mark.parametrize(
    "argv",
    [
        ["key", "approve", "424242"],
        ["key", "list", "--employer", "424242"],
        ["key", "mint", "--employer", "424242", "--name", "x", "--scope", "JobPosting"],
        ["user", "add", "--employer", "424242", "--email", "a@b.example", "--role",
         "EmployerAdmin"],
        ["credits", "balance", "--employer", "424242"],
        ["contract", "add", "--employer", "424242", "--kinds", "CvSearch", "--from",
         "2026-01-01", "--until", "2027-01-01"],
    ],
)
def test_unknown_ids_are_one_line_not_found(cli, argv):
    result = cli(*argv)

    assert result.code == 1
    assert result.stdout == ""
    assert len(result.error_lines) == 1
    assert result.error_lines[0].endswith("424242 not found")


def test_staff_add_prints_a_single_use_link_that_sets_the_password(cli, clean_database):
    added = cli("staff", "add", "--email", "grace@platform.example").json()

    assert set(added) == {"id", "email", "createdAt", "setPasswordUrl",
                          "setPasswordUrlExpiresAt"}
    assert added["email"] == "grace@platform.example"
    prefix = "http://127.0.0.1:8000/account/password/reset?token="
    assert added["setPasswordUrl"].startswith(prefix)
    token = added["setPasswordUrl"].removeprefix(prefix)
    built = build_services(Settings(database_url=clean_database, db_pool_size=1),
                           password_hasher=Argon2PasswordHasher.cheap())
    try:
        built.portal_accounts.reset_password(token, "staff passphrase", "203.0.113.7")
        member = built.portal_accounts.sign_in_staff("grace@platform.example",
                                                     "staff passphrase", HERE)
    finally:
        built.close()
    assert member is not None
    assert member.id == added["id"]


def test_staff_emails_are_unique(cli):
    cli("staff", "add", "--email", "grace@platform.example").json()
    again = cli("staff", "add", "--email", "Grace@Platform.example")

    assert again.code == 1
    assert again.error_lines == ["itmj: a staff member with this email already exists"]
