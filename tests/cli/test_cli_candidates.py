"""``itmj candidates``: importing JSON Lines, generating them, reindexing, hiding."""

import io
import json
import urllib.request
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import psycopg
import pytest

from itmj_adapters.composition import build_services
from itmj_adapters.settings import Settings
from itmj_cli.candidate_lines import MAX_LINE_BYTES
from itmj_cli.main import main
from tests.cli.test_cli_serve import serving

RECORD = {
    "externalId": "ats-1",
    "fullName": "Pat Example",
    "email": "pat@example.com",
    "phone": "+44 20 7946 0000",
    "headline": "Senior Process Engineer",
    "summary": "HVAC design for hospitals.",
    "skills": ["HVAC", "AutoCAD"],
    "city": "Leeds",
    "countryId": 826,
    "preferredCountryIds": [826, 372],
    "lastActiveAt": "2025-12-01T09:30:00Z",
}


def line(**changes: object) -> str:
    return json.dumps(RECORD | changes)


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(f"{text}\n" for text in lines), encoding="utf-8")
    return path


@pytest.fixture(params=["memory", pytest.param("postgres", marks=pytest.mark.postgres)])
def env(request: pytest.FixtureRequest) -> dict[str, str]:
    return {} if request.param == "memory" else request.getfixturevalue("postgres_env")


def test_an_import_reports_new_rows_and_rejects_bad_lines_by_number(run_cli, env, tmp_path):
    without_email = {key: value for key, value in RECORD.items() if key != "email"}
    source = write_lines(tmp_path / "candidates.jsonl", [
        line(externalId="a"),
        "{not json",
        line(externalId="b", countryId="826"),
        json.dumps(without_email),
        "",
        line(externalId="c", countryId=999),
        "[1, 2]",
        line(externalId="d", skills="HVAC"),
        line(externalId="e", lastActiveAt="2025-12-01 09:30"),
        line(externalId="f", nickname="Pat"),
        line(externalId="g", preferredCountryIds=[826, 1234]),
        line(externalId="h", fullName=" "),
        line(externalId="i", phone=None, city=None, countryId=None, preferredCountryIds=[]),
        line(externalId="a", headline="Process Engineer, updated"),
    ])
    report = run_cli(["candidates", "import", str(source)], env).json()
    assert report == {
        "imported": 2,
        "updated": 1,
        "rejected": [
            {"line": 2, "reason": "malformed JSON"},
            {"line": 3, "reason": "countryId: expected an integer"},
            {"line": 4, "reason": "email: required field missing"},
            {"line": 6, "reason": "countryId: unknown country 999"},
            {"line": 7, "reason": "expected a JSON object"},
            {"line": 8, "reason": "skills: expected a list"},
            {"line": 9, "reason": "lastActiveAt: expected an ISO 8601 timestamp with Z or an "
                                  "offset, e.g. 2026-06-01T00:00:00Z"},
            {"line": 10, "reason": "nickname: unknown field"},
            {"line": 11, "reason": "preferredCountryIds: unknown countries 1234"},
            {"line": 12, "reason": "fullName must not be blank"},
        ],
    }


def test_bytes_that_are_not_text_or_a_line_too_long_are_rejected(run_cli, tmp_path):
    source = tmp_path / "mixed.jsonl"
    source.write_bytes(
        b'{"externalId": "\xff"}\n'
        + b"x" * (MAX_LINE_BYTES + 10) + b"\n"
        + line(externalId="after-long").encode() + b"\n"
    )
    report = run_cli(["candidates", "import", str(source)]).json()
    assert report == {"imported": 1, "updated": 0, "rejected": [
        {"line": 1, "reason": "not UTF-8 text"},
        {"line": 2, "reason": f"line longer than {MAX_LINE_BYTES} bytes"},
    ]}


@pytest.mark.postgres
def test_a_second_import_updates_by_external_id(run_cli, postgres_env, tmp_path):
    first = write_lines(tmp_path / "first.jsonl", [line(externalId="a"), line(externalId="b")])
    second = write_lines(tmp_path / "second.jsonl", [
        line(externalId="b", headline="Head of Engineering"), line(externalId="c"),
    ])
    assert run_cli(["candidates", "import", str(first)], postgres_env).json()["imported"] == 2
    report = run_cli(["candidates", "import", str(second)], postgres_env).json()
    assert (report["imported"], report["updated"], report["rejected"]) == (1, 1, [])
    built = build_services(Settings(database_url=postgres_env["ITMJ_DATABASE_URL"]))
    try:
        with built.uow(read_only=True) as uow:
            assert uow.candidates.find_by_external_id("b").headline == "Head of Engineering"
            assert uow.candidates.find_by_external_id("a").headline == RECORD["headline"]
    finally:
        built.close()


def test_standard_input_is_read_with_a_dash(tmp_path, monkeypatch):
    source = "\n".join([line(externalId="x"), line(externalId="y")]).encode()
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(source)))
    out = io.StringIO()
    with redirect_stdout(out), redirect_stderr(io.StringIO()):
        assert main(["candidates", "import", "-"], {}) == 0
    assert json.loads(out.getvalue())["imported"] == 2


class Terminal(io.StringIO):
    """What a person's terminal looks like to the command: a stream that is a TTY."""

    def isatty(self) -> bool:
        return True


def _import_with_stderr(stderr: io.StringIO, path: Path) -> dict:
    out = io.StringIO()
    with redirect_stdout(out), redirect_stderr(stderr):
        assert main(["candidates", "import", str(path)], {}) == 0
    return json.loads(out.getvalue())


def test_a_progress_bar_is_drawn_on_a_terminal_only(tmp_path):
    source = write_lines(tmp_path / "many.jsonl", [line(externalId=f"p{n}") for n in range(300)])
    terminal = Terminal()
    assert _import_with_stderr(terminal, source)["imported"] == 300
    drawn = terminal.getvalue()
    assert drawn.startswith("\rimporting [")
    assert drawn.endswith(f"[{'#' * 30}] 100%\n")
    assert drawn.count("\r") <= 101
    piped = io.StringIO()
    assert _import_with_stderr(piped, source)["imported"] == 300
    assert piped.getvalue() == ""


def test_a_missing_file_is_one_line_and_exit_1(run_cli, tmp_path):
    result = run_cli(["candidates", "import", str(tmp_path / "absent.jsonl")])
    assert result.code == 1
    assert result.error_lines == [
        f"itmj: cannot read {tmp_path / 'absent.jsonl'}: No such file or directory"
    ]


@pytest.mark.postgres
def test_reindex_in_memory_rebuilds_the_process_index(run_cli):
    assert run_cli(["candidates", "reindex"]).json() == {"indexed": 0}


@pytest.mark.postgres
def test_hide_show_and_reindex(run_cli, postgres_env, tmp_path):
    source = write_lines(tmp_path / "c.jsonl", [line(externalId="a"), line(externalId="b")])
    run_cli(["candidates", "import", str(source)], postgres_env).json()
    assert run_cli(["candidates", "hide", "1"], postgres_env).json() == {"id": 1, "hidden": True}
    assert run_cli(["candidates", "show", "1"], postgres_env).json() == {"id": 1, "hidden": False}
    # Each server's index is its own: every one is asked, through the change log, to rebuild.
    reindexed = run_cli(["candidates", "reindex"], postgres_env).json()
    assert reindexed == {"rebuildRequested": True}
    with psycopg.connect(postgres_env["ITMJ_DATABASE_URL"]) as conn:
        changes = conn.execute(
            "SELECT candidate_id FROM candidate_changes ORDER BY position"
        ).fetchall()
    assert changes == [(1,), (2,), (1,), (1,), (None,)]
    missing = run_cli(["candidates", "hide", "99"], postgres_env)
    assert (missing.code, missing.error_lines) == (1, ["itmj: candidate 99 not found"])


def test_generate_gives_the_same_lines_for_the_same_seed(run_cli):
    first = run_cli(["candidates", "generate", "--count", "40", "--seed", "7"])
    again = run_cli(["candidates", "generate", "--count", "40", "--seed", "7"])
    other = run_cli(["candidates", "generate", "--count", "40", "--seed", "8"])
    assert first.code == again.code == other.code == 0
    assert first.stdout == again.stdout != other.stdout
    records = [json.loads(text) for text in first.stdout.splitlines()]
    assert len(records) == 40
    assert set(records[0]) == set(RECORD)
    assert len({record["externalId"] for record in records}) == 40


def test_generate_refuses_a_count_that_is_not_positive(run_cli):
    result = run_cli(["candidates", "generate", "--count", "0"])
    assert result.code == 2
    assert len(result.error_lines) == 1


def test_a_generated_file_of_5000_lines_imports_whole(run_cli, env, tmp_path):
    generated = run_cli(["candidates", "generate", "--count", "5000", "--seed", "3"])
    source = tmp_path / "generated.jsonl"
    source.write_text(generated.stdout, encoding="utf-8")
    report = run_cli(["candidates", "import", str(source)], env).json()
    assert report == {"imported": 5000, "updated": 0, "rejected": []}


def _search(base_url: str, key: str, query: str) -> dict:
    request = urllib.request.Request(
        f"{base_url}/api/v1/candidates/search",
        data=json.dumps({"query": query}).encode(),
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def test_serve_demo_searches_the_demo_candidates_in_every_worker(start_itmj, tmp_path, env):
    url = env.get("ITMJ_DATABASE_URL")
    options = ("--workers", "2") if url else ()
    with serving(start_itmj, tmp_path, *options, database_url=url) as server:
        key = server.seeded["keys"]["cvSearch"]
        totals = {_search(server.base_url, key, "engineer OR developer")["total"]
                  for _ in range(8)}
    assert len(totals) == 1
    assert 0 < totals.pop() <= 300
