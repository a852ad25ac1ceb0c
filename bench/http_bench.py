"""Authenticated GET /api/v1/jobs/{id}: the real app against a bare Falcon app, or (with
``--compare guards``) against itself with rate limiting and lastUsedAt switched off.

It measures three shapes by default (``--shape`` picks some):

- ``production``, as the README deploys it: 2 gunicorn workers (``--postgres-workers``),
  PostgreSQL over TCP (127.0.0.1, or ITMJ_DATABASE_URL), and the rate limiter counting in
  Redis (``--redis-url``);
- ``local``: the same workers over PostgreSQL's Unix socket, without Redis, so the limiter
  counts in PostgreSQL (it counted in each process when earlier figures were taken);
- ``memory``: one worker, everything in its memory.

Every limit is raised out of reach (ITMJ_BENCH_RATE_LIMIT, set here) so that the limiter
counts every request and refuses none: the benchmark runs as documented, with nothing to
export.

For each shape the real app is served by ``itmj serve --demo`` and
the baseline by ``bench/bare_app.py``, both through the same embedded gunicorn with the same
worker class, workers and threads. On PostgreSQL a third app runs beside them, the floor
(``bench/floor_app.py``): the bare app plus the one statement SPEC §3 makes every authenticated
read run (the key looked up, the job read with it), through the application's own pool and
repository, and nothing else. floor/bare is the most that any app doing that lookup can reach
here; real/floor is what the application's own work costs. wrk, a second process, drives each
with the same load on loopback, one app at a time: a short warm-up each, then bounded measured
runs that alternate between them. Prints the median requests/s, p50 and p99 of each, the
ratios, and the CPU the server spent per request (gunicorn's workers, plus PostgreSQL's
processes serving the app), which says where the difference goes even on a busy machine.

``--compare guards`` serves the real app twice instead, in the same shape: "on" as in
production but with every rate limit raised out of reach (ITMJ_BENCH_RATE_LIMIT, so the
limiter counts every request and refuses none), "off" without the limiter and without
lastUsedAt (ITMJ_BENCH_NO_RATE_LIMITS=1, ITMJ_BENCH_NO_LAST_USED=1, switches only this
benchmark uses). In the production shape "on" counts in Redis as a multi-process deployment
does; locally and in memory the limiter is the process's own. The targets are req/s on/off
>= 0.90 and CPU per request on/off <= 1.10. The CPU columns then count the gunicorn workers
only: both servers share the database and Redis, whose processes cannot be told apart per
server.

``--compare observability`` serves the real app twice the same way: "on" as production ships
it, with request ids, one JSON access line per request on stderr (to a file under
bench/results, as a log collector would read it) and Prometheus metrics (ITMJ_METRICS=1);
"off" without request ids and their access lines (ITMJ_BENCH_NO_REQUEST_IDS=1, a switch only
this benchmark uses), logging at WARNING and metrics off. The target is CPU per request on/off
<= 1.10 (the figure compared is the workers' CPU, as with guards).

Both comparisons measure the two servers in rounds, each round both of them, the order
swapped from round to round. The machine they share drifts between a fast and a slow state
within seconds, so the ratio of the two medians depends on how many slow runs each server
happened to get; the verdict is on the median of the rounds' own ratios, which compares runs
taken moments apart. Both figures are printed.
"""

import argparse
import json
import os
import select
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from contextlib import ExitStack, contextmanager
from pathlib import Path

import psycopg
from process_cpu import cpu_seconds
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
ITMJ = Path(sys.executable).with_name("itmj")
TCP_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/itmj_bench"
# The local shape: the server's Unix socket, as a co-located app would use it.
LOCAL_DATABASE_URL = "postgresql://postgres@%2Fvar%2Frun%2Fpostgresql/itmj_bench"
SHAPES = ("production", "local", "memory")
TARGETS = {"memory": 0.75, "production": 0.5, "local": 0.5}
GUARDS_TARGET = 0.9
OBSERVABILITY_CPU_TARGET = 1.10
# Issue 16: the limiter and lastUsedAt cost at most 10 % more CPU per request.
GUARDS_CPU_TARGET = 1.10
OUT_OF_REACH = str(10**9)
STARTUP_SECONDS = 60


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def server(argv: list[str], env: dict[str, str], port: int, log_name: str):
    """Start a server; once it listens, yield its first stdout line and the process. Always
    stop it."""
    RESULTS.mkdir(exist_ok=True)
    with (RESULTS / log_name).open("w") as log:
        process = subprocess.Popen(
            argv, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=log,
            text=True, start_new_session=True,
        )
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        first_line = ""
        if "--demo" in argv:
            ready, _, _ = select.select([process.stdout], [], [], STARTUP_SECONDS)
            first_line = process.stdout.readline() if ready else ""
            if not first_line:
                raise SystemExit(f"{argv[0]} printed no demo keys; see {RESULTS / log_name}")
        while True:
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"{argv[0]} did not start; see {RESULTS / log_name}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        yield first_line, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        process.stdout.close()


def http_get(url: str, key: str) -> bytes:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {key}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.read()


def wrk(url: str, key: str, seconds: int, connections: int) -> dict:
    done = subprocess.run(
        ["wrk", "--threads", "1", "--connections", str(connections),
         "--duration", f"{seconds}s", "--timeout", "5s", "--latency",
         "--script", str(ROOT / "bench" / "report.lua"),
         "--header", f"Authorization: Bearer {key}", url],
        capture_output=True, text=True, timeout=seconds + 60, check=True,
        stdin=subprocess.DEVNULL,
    )
    line = next(x for x in done.stdout.splitlines() if x.startswith("WRK_RESULT "))
    figures = json.loads(line.removeprefix("WRK_RESULT "))
    if figures["non_2xx"] or figures["socket_errors"]:
        raise SystemExit(f"{url}: {figures['non_2xx']} non-2xx answers and "
                         f"{figures['socket_errors']} socket errors; the figures would lie")
    figures["rps"] = figures["requests"] / (figures["duration_us"] / 1e6)
    return figures


def worker_pids(master: subprocess.Popen) -> list[int]:
    children = Path(f"/proc/{master.pid}/task/{master.pid}/children").read_text()
    return [int(pid) for pid in children.split()]


def backend_pids(database_url: str) -> list[int]:
    """The PostgreSQL server processes serving the app's pools (they spend CPU too)."""
    with psycopg.connect(database_url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE application_name = 'itmj' "
            "AND datname = current_database()"
        ).fetchall()
    return [row[0] for row in rows]


def measured_run(
    url: str, key: str, pids: list[int], db_pids: list[int], options: argparse.Namespace
) -> dict:
    """One wrk run, with the CPU the server's processes spent per request during it: all of
    them, and the part PostgreSQL's spent."""
    before, db_before = cpu_seconds(pids + db_pids), cpu_seconds(db_pids)
    figures = wrk(url, key, options.duration, options.connections)
    per_request = 1e6 / figures["requests"]
    figures["cpu_us_per_request"] = (cpu_seconds(pids + db_pids) - before) * per_request
    figures["db_cpu_us_per_request"] = (cpu_seconds(db_pids) - db_before) * per_request
    return figures


def median_figures(runs: list[dict]) -> dict:
    return {name: statistics.median(run[name] for run in runs)
            for name in ("rps", "p50_us", "p99_us", "cpu_us_per_request",
                         "db_cpu_us_per_request")}


def prepare_database(url: str) -> None:
    info = psycopg.conninfo.conninfo_to_dict(url)
    admin_url = psycopg.conninfo.make_conninfo(url, dbname="postgres")
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [info["dbname"]]
        ).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(info["dbname"])))
    env = dict(os.environ, ITMJ_DATABASE_URL=url)
    subprocess.run([str(ITMJ), "db", "migrate"], env=env, check=True,
                   stdout=subprocess.DEVNULL, stdin=subprocess.DEVNULL)


def bench_real_and_bare(shape: str, env: dict[str, str], workers: int,
                  options: argparse.Namespace) -> dict:
    """The servers run side by side, but only one is ever under load: the measured runs
    alternate real, floor, bare, real… so that drifting background load hits them alike. The
    floor (``floor_app``) runs on PostgreSQL only."""
    settings = ["--workers", str(workers), "--threads", str(options.threads)]
    real_port, bare_port, floor_port = free_port(), free_port(), free_port()
    real_argv = [str(ITMJ), "serve", "--demo", "--bind", f"127.0.0.1:{real_port}", *settings]
    database_url = env.get("ITMJ_DATABASE_URL")
    with (
        server(real_argv, env, real_port, f"{shape}-real.log") as (first_line, real_server),
        ExitStack() as others,
    ):
        key = json.loads(first_line)["keys"]["jobPosting"]
        base = f"http://127.0.0.1:{real_port}/api/v1/jobs"
        job_id = json.loads(http_get(f"{base}?status=Active", key))["items"][0]["id"]
        urls = {"real": f"{base}/{job_id}"}
        body = http_get(urls["real"], key)
        body_file = RESULTS / f"{shape}-job.json"
        body_file.write_bytes(body)
        answer = ["--body", str(body_file), *settings]
        # Each app's database connections are those that appeared while it started and
        # warmed up: the real app's and the floor's pools both connect as "itmj".
        wrk(urls["real"], key, options.warmup, options.connections)
        servers = {"real": real_server}
        seen = set(backend_pids(database_url)) if database_url else set()
        db_pids = {"real": sorted(seen)}
        baselines = {"bare": (bare_port, ["bare_app.py"])}
        if database_url is not None:
            baselines["floor"] = (floor_port, ["floor_app.py", "--database-url", database_url])
        for app, (port, (script, *extra)) in baselines.items():
            argv = [sys.executable, str(ROOT / "bench" / script),
                    "--bind", f"127.0.0.1:{port}", *answer, *extra]
            _, servers[app] = others.enter_context(server(argv, env, port, f"{shape}-{app}.log"))
            urls[app] = f"http://127.0.0.1:{port}/api/v1/jobs/{job_id}"
            if http_get(urls[app], key) != body:
                raise SystemExit(f"the {app} app does not answer with the real app's JSON")
            wrk(urls[app], key, options.warmup, options.connections)
            connected = set(backend_pids(database_url)) if database_url else set()
            db_pids[app], seen = sorted(connected - seen), seen | connected
        pids = {app: worker_pids(each) for app, each in servers.items()}
        runs: dict[str, list[dict]] = {app: [] for app in urls}
        for _ in range(options.rounds):
            for app, url in urls.items():
                runs[app].append(measured_run(url, key, pids[app], db_pids[app], options))
    figures = {app: median_figures(app_runs) for app, app_runs in runs.items()}
    result = {"shape": shape, "workers": workers, "threads": options.threads,
              "apps": tuple(urls), **figures, "target": TARGETS[shape], "runs": runs,
              "ratio": figures["real"]["rps"] / figures["bare"]["rps"]}
    if "floor" in figures:
        result["floor_ratio"] = figures["floor"]["rps"] / figures["bare"]["rps"]
        result["real_floor_ratio"] = figures["real"]["rps"] / figures["floor"]["rps"]
    return result


def bench_guards(shape: str, env: dict[str, str], workers: int,
                 options: argparse.Namespace) -> dict:
    """The real app with its guards on and off, side by side, measured alternately."""
    envs = {
        "on": env | {"ITMJ_BENCH_RATE_LIMIT": OUT_OF_REACH},
        "off": env | {"ITMJ_BENCH_NO_RATE_LIMITS": "1", "ITMJ_BENCH_NO_LAST_USED": "1"},
    }
    result = bench_on_off(shape, envs, workers, options)
    on, off = result["on"]["cpu_us_per_request"], result["off"]["cpu_us_per_request"]
    return result | {"target": GUARDS_TARGET, "cpu_ratio": on / off,
                     "cpu_target": GUARDS_CPU_TARGET}


def bench_observability(shape: str, env: dict[str, str], workers: int,
                        options: argparse.Namespace) -> dict:
    """The real app with request ids, access lines and metrics on and off, side by side,
    measured alternately."""
    envs = {
        "on": env | {"ITMJ_LOG_FORMAT": "json", "ITMJ_LOG_LEVEL": "INFO", "ITMJ_METRICS": "1"},
        "off": env | {"ITMJ_LOG_FORMAT": "json", "ITMJ_LOG_LEVEL": "WARNING",
                      "ITMJ_METRICS": "0", "ITMJ_BENCH_NO_REQUEST_IDS": "1"},
    }
    result = bench_on_off(shape, envs, workers, options, log_prefix="obs-")
    on, off = result["on"]["cpu_us_per_request"], result["off"]["cpu_us_per_request"]
    return result | {"cpu_ratio": on / off,
                     "cpu_target": OBSERVABILITY_CPU_TARGET}


def bench_on_off(shape: str, envs: dict[str, dict[str, str]], workers: int,
                 options: argparse.Namespace, log_prefix: str = "") -> dict:
    """The real app served twice, "on" and "off", measured alternately."""
    settings = ["--workers", str(workers), "--threads", str(options.threads)]
    ports = {app: free_port() for app in envs}
    argv = {app: [str(ITMJ), "serve", "--demo", "--bind", f"127.0.0.1:{port}", *settings]
            for app, port in ports.items()}
    with (
        server(argv["on"], envs["on"], ports["on"], f"{shape}-{log_prefix}on.log") as (
            on_line, on_server),
        server(argv["off"], envs["off"], ports["off"], f"{shape}-{log_prefix}off.log") as (
            off_line, off_server),
    ):
        keys, urls = {}, {}
        for app, line in (("on", on_line), ("off", off_line)):
            keys[app] = json.loads(line)["keys"]["jobPosting"]
            base = f"http://127.0.0.1:{ports[app]}/api/v1/jobs"
            job_id = json.loads(http_get(f"{base}?status=Active", keys[app]))["items"][0]["id"]
            urls[app] = f"{base}/{job_id}"
        for app, url in urls.items():
            wrk(url, keys[app], options.warmup, options.connections)
        pids = {"on": worker_pids(on_server), "off": worker_pids(off_server)}
        runs: dict[str, list[dict]] = {"on": [], "off": []}
        for round_number in range(options.rounds):
            # Each round measures both, in turn first: a drift over the round then weighs
            # on "on" as often as on "off".
            order = ("on", "off") if round_number % 2 == 0 else ("off", "on")
            for app in order:
                runs[app].append(measured_run(urls[app], keys[app], pids[app], [], options))
    on, off = median_figures(runs["on"]), median_figures(runs["off"])
    paired = statistics.median(
        first["cpu_us_per_request"] / second["cpu_us_per_request"]
        for first, second in zip(runs["on"], runs["off"], strict=True)
    )
    return {"shape": shape, "workers": workers, "threads": options.threads,
            "apps": ("on", "off"), "on": on, "off": off, "ratio": on["rps"] / off["rps"],
            "paired_cpu_ratio": paired, "runs": runs}


def print_result(result: dict) -> None:
    layout = f"{result['workers']}x{result['threads']}"
    apps = result.get("apps", ("real", "bare"))
    for app in apps:
        figures = result[app]
        print(f"{result['shape']:<10} {app:<5} {layout:<8} {figures['rps']:>9.0f} "
              f"{figures['p50_us'] / 1000:>8.2f} {figures['p99_us'] / 1000:>8.2f} "
              f"{figures['cpu_us_per_request']:>10.0f} {figures['db_cpu_us_per_request']:>9.0f}")
    if "cpu_ratio" in result:
        verdict = "met" if result["paired_cpu_ratio"] <= result["cpu_target"] else "MISSED"
        print(f"{result['shape']:<10} req/s {apps[0]}/{apps[1]} {result['ratio']:.2f}; "
              f"CPU per request {apps[0]}/{apps[1]}: {result['cpu_ratio']:.3f} as the ratio "
              f"of the medians, {result['paired_cpu_ratio']:.3f} as the median of the "
              f"rounds' own ratios (target <= {result['cpu_target']:.2f}: {verdict})")
        return
    verdict = "met" if result["ratio"] >= result["target"] else "MISSED"
    print(f"{result['shape']:<10} ratio real/bare {result['ratio']:.2f} "
          f"(target >= {result['target']}: {verdict})")
    if "floor_ratio" in result:
        print(f"{result['shape']:<10} ratio floor/bare {result['floor_ratio']:.2f} (the most any "
              f"app making SPEC §3's one lookup can reach), real/floor "
              f"{result['real_floor_ratio']:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shape", choices=SHAPES, action="append",
                        help="a shape to measure (repeatable); all three unless given")
    parser.add_argument(
        "--compare", choices=["bare", "guards", "observability"], default="bare",
        help="bare: the real app against a bare Falcon app; guards: the real app with rate "
        "limiting and lastUsedAt on against off; observability: the real app with request "
        "ids, JSON access lines and metrics on against off",
    )
    parser.add_argument(
        "--redis-url", default=os.environ.get("ITMJ_REDIS_URL", "redis://127.0.0.1:6379/0"),
        help="Redis of the rate limiter in the production shape",
    )
    parser.add_argument("--duration", type=int, default=10, help="measured seconds per run")
    parser.add_argument("--warmup", type=int, default=2, help="warm-up seconds per server")
    parser.add_argument("--rounds", type=int, default=3,
                        help="measured runs per app, alternating; the median is printed")
    parser.add_argument("--connections", type=int, default=8, help="wrk's open connections")
    # One thread per worker serves the real app best on two cores, on both backends: more
    # threads of one worker only take turns at its GIL, and each turn costs a context switch.
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker")
    parser.add_argument("--postgres-workers", type=int, default=2,
                        help="gunicorn workers on PostgreSQL (in memory there is one)")
    options = parser.parse_args()

    # Every limit out of reach, so that a load test is never refused and the limiter still
    # counts every request.
    base_env = {k: v for k, v in os.environ.items()
                if k not in ("ITMJ_DATABASE_URL", "ITMJ_REDIS_URL")}
    base_env["ITMJ_BENCH_RATE_LIMIT"] = OUT_OF_REACH
    plan = []
    for shape in options.shape or SHAPES:
        if shape == "memory":
            plan.append((shape, base_env, 1))
            continue
        url = (os.environ.get("ITMJ_DATABASE_URL") or TCP_DATABASE_URL
               if shape == "production" else LOCAL_DATABASE_URL)
        prepare_database(url)
        env = base_env | {"ITMJ_DATABASE_URL": url}
        if shape == "production":
            env["ITMJ_REDIS_URL"] = options.redis_url
        plan.append((shape, env, options.postgres_workers))

    compared = {
        "bare": "the real app vs a bare one",
        "guards": "rate limits and lastUsedAt on vs off",
        "observability": "request ids, JSON access lines and metrics on vs off",
    }[options.compare]
    print(f"GET /api/v1/jobs/{{id}} with a Bearer key, {compared}; wrk: 1 thread, "
          f"{options.connections} "
          f"connections, {options.warmup}s warm-up, then {options.rounds} alternating runs of "
          f"{options.duration}s per app (medians); gunicorn gthread")
    for shape, env, _ in plan:
        if "ITMJ_DATABASE_URL" in env:
            host = psycopg.conninfo.conninfo_to_dict(env["ITMJ_DATABASE_URL"]).get("host")
            limiter = "in Redis" if "ITMJ_REDIS_URL" in env else "in PostgreSQL"
            print(f"{shape}: PostgreSQL at {host}, rate limiter {limiter}")
    print(f"{'shape':<10} {'app':<5} {'workers':<8} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} "
          f"{'CPU us/req':>10} {'of it: db':>9}")
    results = []
    for shape, env, workers in plan:
        measure = {"bare": bench_real_and_bare, "guards": bench_guards,
                   "observability": bench_observability}[options.compare]
        result = measure(shape, env, workers, options)
        print_result(result)
        results.append(result)
    name = "http.json" if options.compare == "bare" else f"http-{options.compare}.json"
    (RESULTS / name).write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
