"""``itmj candidates import`` of synthetic candidates into PostgreSQL (bench/import, issue 13).

Writes ``--count`` lines (1,000,000 by default) with ``itmj candidates generate`` to a file in
bench/results (kept for the next run with the same count and seed), drops and re-creates the
database ``--database-url``, migrates it, and times ``itmj candidates import`` of the file into
it: the total, lines/s, and the CPU time of the importer and of its PostgreSQL server processes
(which other load on the machine disturbs less than the total), against the target of at most
5 minutes for 1,000,000 lines. ``--reimport`` then imports the same file again and times that
too: every line is known and unchanged, so nothing is written. ``--update`` then imports a copy
of the file with every summary changed: every line updates its candidate.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg
from process_cpu import cpu_seconds
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
ITMJ = Path(sys.executable).with_name("itmj")
TARGET_SECONDS = 300
TARGET_LINES = 1_000_000


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def generated(count: int, seed: int) -> Path:
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"candidates-{count}-{seed}.jsonl"
    if not path.exists():
        started = time.monotonic()
        partial = path.with_suffix(".partial")
        with partial.open("wb") as out:
            subprocess.run([str(ITMJ), "candidates", "generate", "--count", str(count),
                            "--seed", str(seed)], stdout=out, check=True)
        partial.rename(path)
        print(f"generated        {count:,} lines in {time.monotonic() - started:.1f} s")
    return path


def changed_copy(source: Path) -> Path:
    path = source.with_name(source.stem + "-changed.jsonl")
    if not path.exists():
        with source.open("rb") as lines, path.open("w") as out:
            for line in lines:
                record = json.loads(line)
                record["summary"] += " Updated."
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def fresh_database(url: str) -> None:
    name = psycopg.conninfo.conninfo_to_dict(url)["dbname"]
    admin_url = psycopg.conninfo.make_conninfo(url, dbname="postgres")
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
            sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    subprocess.run([str(ITMJ), "db", "migrate"], env=dict(os.environ, ITMJ_DATABASE_URL=url),
                   check=True, stdout=subprocess.DEVNULL, stdin=subprocess.DEVNULL)


class ServerCpu:
    """The CPU of the server processes serving the database (the importer's connections),
    read from /proc every half second while they run: the last reading of each counts."""

    def __init__(self, url: str) -> None:
        self._url = url
        self._seconds: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self) -> "ServerCpu":
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def seconds(self) -> float:
        return sum(self._seconds.values())

    def _watch(self) -> None:
        with psycopg.connect(self._url, autocommit=True) as conn:
            while not self._stop.wait(0.5):
                rows = conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = "
                                    "current_database() AND pid <> pg_backend_pid()").fetchall()
                for (pid,) in rows:
                    self._seconds[pid] = max(self._seconds.get(pid, 0.0), cpu_seconds([pid]))


def timed_import(title: str, url: str, source: Path, count: int) -> None:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    with ServerCpu(url) as server:
        done = subprocess.run([str(ITMJ), "candidates", "import", str(source)],
                              env=dict(os.environ, ITMJ_DATABASE_URL=url), check=True,
                              stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
        elapsed = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    report = json.loads(done.stdout)
    print(f"\n{title}")
    print(f"report           imported {report['imported']:,}, updated {report['updated']:,}, "
          f"rejected {len(report['rejected']):,}")
    print(f"total            {elapsed:.1f} s, {count / elapsed:,.0f} lines/s "
          f"({elapsed / count * 1e6:.0f} us a line)")
    print(f"importer CPU     {cpu:.1f} s ({cpu / count * 1e6:.0f} us a line)")
    print(f"PostgreSQL CPU   {server.seconds:.1f} s ({server.seconds / count * 1e6:.0f} us a line,"
          " the importer's server processes)")
    scaled = elapsed * TARGET_LINES / count
    verdict = "met" if scaled <= TARGET_SECONDS else "MISSED"
    print(f"target           {TARGET_LINES:,} lines in <= {TARGET_SECONDS} s: "
          f"{scaled:.0f} s at this rate, {verdict}")
    print(f"load average     {load_average()} (after)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=TARGET_LINES, help="lines (1000000)")
    parser.add_argument("--seed", type=int, default=1, help="synthetic data seed (1)")
    parser.add_argument("--database-url", default=os.environ.get(
        "ITMJ_BENCH_IMPORT_URL", "postgresql://postgres@127.0.0.1:5432/itmj_bench_import"),
        help="dropped and created afresh (default: database itmj_bench_import)")
    parser.add_argument("--reimport", action="store_true",
                        help="import the same file a second time (every line unchanged)")
    parser.add_argument("--update", action="store_true",
                        help="then import a copy with every summary changed (every line updates)")
    options = parser.parse_args()
    print(f"load average     {load_average()} (before)")
    source = generated(options.count, options.seed)
    fresh_database(options.database_url)
    timed_import(f"import of {options.count:,} new candidates", options.database_url, source,
                 options.count)
    if options.reimport:
        timed_import(f"import of the same {options.count:,} again (unchanged)",
                     options.database_url, source, options.count)
    if options.update:
        timed_import(f"import of the same {options.count:,} with every summary changed",
                     options.database_url, changed_copy(source), options.count)


if __name__ == "__main__":
    main()
