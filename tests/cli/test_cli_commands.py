"""The command line's conventions, in process on the in-memory backend: JSON on success, one
line on stderr and exit 1 for a refused command, exit 2 for a wrong command line."""

import pytest


def test_employer_create_prints_the_new_id(run_cli):
    result = run_cli(["employer", "create", "--name", "Acme Ltd", "--trusted"])

    assert result.json() == {"id": 1}
    assert result.stderr == ""


def test_a_refused_command_prints_one_line_and_exits_1(run_cli):
    result = run_cli(
        ["credits", "grant", "--employer", "999", "--kind", "JobPosting", "--amount", "5"]
    )

    assert result.code == 1
    assert result.stdout == ""
    assert result.error_lines == ["itmj: employer 999 not found"]


def test_a_rule_violation_names_the_rule(run_cli):
    result = run_cli(["employer", "create", "--name", "   "])

    assert result.code == 1
    assert result.error_lines == ["itmj: name must not be blank"]


@pytest.mark.parametrize(
    "argv",
    [
        ["credits", "grant", "--employer", "1", "--kind", "Gold", "--amount", "5"],
        ["credits", "grant", "--employer", "one", "--kind", "JobPosting", "--amount", "5"],
        ["credits", "grant", "--employer", "1", "--kind", "JobPosting", "--amount", "lots"],
        ["contract", "add", "--employer", "1", "--kinds", "JobPosting,Gold",
         "--from", "2026-01-01", "--until", "2027-01-01"],
        ["contract", "add", "--employer", "1", "--kinds", "JobPosting",
         "--from", "next week", "--until", "2027-01-01"],
        ["key", "mint", "--employer", "1", "--name", "ats", "--scope", "Everything"],
        ["key", "mint", "--employer", "1", "--name", "ats"],
        ["key", "revoke", "-3"],
        ["user", "add", "--employer", "1", "--email", "a@b.example", "--role", "Owner"],
        ["serve", "--bind", "localhost"],
        ["key"],
        [],
        ["launch"],
    ],
)
def test_a_wrong_command_line_prints_one_line_and_exits_2(run_cli, argv):
    result = run_cli(argv)

    assert result.code == 2
    assert result.stdout == ""
    assert len(result.error_lines) == 1
    assert result.error_lines[0].startswith("itmj")


def test_a_bad_kind_is_named_with_the_allowed_ones(run_cli):
    result = run_cli(
        ["credits", "grant", "--employer", "1", "--kind", "Gold", "--amount", "5"]
    )

    assert result.error_lines == [
        "itmj credits grant: argument --kind: 'Gold' is not one of "
        "JobPosting, CvSearch, CvDownload"
    ]


def test_migrate_needs_a_database(run_cli):
    result = run_cli(["db", "migrate"])

    assert result.code == 1
    assert result.error_lines == [
        "itmj: ITMJ_DATABASE_URL is not set: migrations apply to a PostgreSQL database"
    ]


def test_serving_from_memory_refuses_several_workers(run_cli):
    result = run_cli(["serve", "--workers", "2"])

    assert result.code == 2
    assert result.error_lines == [
        "itmj serve: --workers needs ITMJ_DATABASE_URL: the in-memory backend lives in one "
        "process"
    ]


def test_demo_prints_the_employer_three_keys_and_how_to_sign_in(run_cli):
    seeded = run_cli(["demo"]).json()

    assert set(seeded) == {"employerId", "keys", "portal"}
    assert seeded["portal"]["url"] == "http://127.0.0.1:8000/account/signin"
    assert seeded["portal"]["employerAdmin"]["email"] == "it.admin@northwind.example"
    assert seeded["portal"]["staff"]["email"] == "staff@itmanagerjobs.example"
    assert isinstance(seeded["employerId"], int)
    assert set(seeded["keys"]) == {"jobPosting", "cvSearch", "both"}
    assert all(key.startswith("pk_live_") for key in seeded["keys"].values())
    assert len(set(seeded["keys"].values())) == 3
