"""The installed ``itmj`` console script, each command a process of its own, on PostgreSQL."""

import pytest

pytestmark = pytest.mark.postgres


def test_migrate_applies_the_schema_once(run_itmj, empty_database):
    first = run_itmj(["db", "migrate"], empty_database).json()
    second = run_itmj(["db", "migrate"], empty_database).json()

    assert first["applied"]
    assert all(isinstance(name, str) for name in first["applied"])
    assert second == {"applied": []}


def test_migrate_without_a_database_is_one_line(run_itmj):
    result = run_itmj(["db", "migrate"])

    assert result.code == 1
    assert result.stdout == ""
    assert result.error_lines == [
        "itmj: ITMJ_DATABASE_URL is not set: migrations apply to a PostgreSQL database"
    ]


def test_a_database_that_cannot_be_reached_is_one_line(run_itmj):
    result = run_itmj(
        ["employer", "create", "--name", "Acme"], "postgresql://postgres@127.0.0.1:1/nowhere"
    )

    assert result.code == 1
    assert result.stdout == ""
    assert len(result.error_lines) == 1, result.stderr


def test_an_employer_from_creation_to_a_revoked_key(run_itmj, clean_database):
    def itmj(*argv: str):
        return run_itmj(list(argv), clean_database)

    employer = itmj("employer", "create", "--name", "Globex Recruitment").json()["id"]
    grant = itmj("credits", "grant", "--employer", str(employer), "--kind", "JobPosting",
                 "--amount", "4").json()
    minted = itmj("key", "mint", "--employer", str(employer), "--name", "ATS",
                  "--scope", "JobPosting").json()
    listed = itmj("key", "list", "--employer", str(employer))
    revoked = itmj("key", "revoke", str(minted["id"])).json()
    balance = itmj("credits", "balance", "--employer", str(employer)).json()

    assert grant["balance"] == 4
    assert minted["status"] == "Active"
    assert minted["key"] not in listed.stdout
    assert [(k["id"], k["status"]) for k in listed.json()] == [(minted["id"], "Active")]
    assert revoked["status"] == "Revoked"
    assert "key" not in revoked
    assert balance == {"JobPosting": 4, "CvSearch": 0, "CvDownload": 0, "unlimited": []}


def test_an_unknown_employer_is_one_line_and_exit_1(run_itmj, clean_database):
    result = run_itmj(["key", "list", "--employer", "77"], clean_database)

    assert result.code == 1
    assert result.stdout == ""
    assert result.error_lines == ["itmj: employer 77 not found"]


def test_a_bad_kind_is_one_line_and_exit_2(run_itmj, clean_database):
    result = run_itmj(
        ["credits", "grant", "--employer", "1", "--kind", "Platinum", "--amount", "1"],
        clean_database,
    )

    assert result.code == 2
    assert result.stdout == ""
    assert len(result.error_lines) == 1


def test_demo_seeds_the_database_with_working_keys(run_itmj, clean_database):
    seeded = run_itmj(["demo"], clean_database).json()

    keys = run_itmj(["key", "list", "--employer", str(seeded["employerId"])], clean_database)
    assert sorted(k["status"] for k in keys.json()) == ["Active"] * 3
    assert not any(plaintext in keys.stdout for plaintext in seeded["keys"].values())
