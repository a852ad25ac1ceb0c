"""``itmj candidates import|generate|reindex|hide|show``: the platform's candidate profiles.

``import`` streams a JSON Lines file (or ``-``, standard input) in batches, upserting by
``externalId``; rejected lines are reported with their line number and reason while the rest
load, and the command still succeeds. ``generate`` writes a synthetic data set in the same
format, the same for the same seed.
"""

import argparse
import json
import os
import stat
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import BinaryIO

from itmj_adapters.composition import Services
from itmj_adapters.json_style import camel_text
from itmj_adapters.settings import Settings
from itmj_cli import services
from itmj_cli.arguments import identifier, positive_int
from itmj_cli.candidate_lines import read_lines
from itmj_cli.output import CommandError, print_json
from itmj_cli.progress import ProgressBar
from itmj_cli.verbs import Verb, add_verbs, arg
from itmj_domain.candidates import Candidate
from itmj_domain.services.candidates import ImportReport

STDIN = "-"
MAX_GENERATED = 10_000_000


def _visibility(candidate: Candidate) -> object:
    return {"id": candidate.id, "hidden": candidate.hidden}


def _reindex(built: Services, _args: argparse.Namespace) -> object:
    """Elasticsearch (or the in-memory backend's own process) is rebuilt here; an index in the
    memory of each process over PostgreSQL is every server's own, so each is asked, through
    the change log, to rebuild it from the database."""
    if built.request_index_rebuild is not None:
        built.request_index_rebuild()
        return {"rebuildRequested": True}
    return {"indexed": built.reindex()}


_CANDIDATE = arg("candidate", type=identifier, metavar="CANDIDATE_ID")
VERBS = (
    Verb("reindex", "rebuild the search index from the database", (), _reindex),
    Verb("hide", "hide a candidate from every employer", (_CANDIDATE,),
         lambda built, args: _visibility(built.candidates.set_hidden(args.candidate, True))),
    Verb("show", "make a hidden candidate visible again", (_CANDIDATE,),
         lambda built, args: _visibility(built.candidates.set_hidden(args.candidate, False))),
)


def register(commands: argparse._SubParsersAction) -> None:
    candidates = commands.add_parser("candidates", help="candidate profiles and the search index")
    actions = candidates.add_subparsers(dest="action", required=True)

    load = actions.add_parser("import", help="upsert candidates from a JSON Lines file")
    load.add_argument("file", metavar="FILE", help="a .jsonl file, or - for standard input")
    load.set_defaults(run=import_candidates)

    generate = actions.add_parser("generate", help="write synthetic candidates as JSON Lines")
    generate.add_argument("--count", type=_count, required=True)
    generate.add_argument("--seed", type=int, default=1, help="the same seed, the same output")
    generate.set_defaults(run=generate_candidates)

    add_verbs(actions, VERBS)


def import_candidates(args: argparse.Namespace, settings: Settings) -> None:
    with _opened_source(args.file) as source:
        bar = (
            ProgressBar(sys.stderr, "importing", _size(source))
            if sys.stderr.isatty()
            else None
        )
        with services.opened(settings) as built:
            try:
                report = built.candidates.import_profiles(
                    read_lines(source, bar.advance if bar else None)
                )
            finally:
                if bar is not None:
                    bar.finish()
    print_json(_report(report))


def generate_candidates(args: argparse.Namespace, _settings: Settings) -> None:
    from itmj_adapters import synthetic_candidates

    out = sys.stdout
    for record in synthetic_candidates.generate(args.count, args.seed):
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
    out.flush()


def _report(report: ImportReport) -> dict[str, object]:
    return {
        "imported": report.imported,
        "updated": report.updated,
        "rejected": [
            {"line": rejection.line, "reason": camel_text(rejection.reason)}
            for rejection in report.rejected
        ],
    }


@contextmanager
def _opened_source(path: str) -> Iterator[BinaryIO]:
    if path == STDIN:
        yield sys.stdin.buffer
        return
    try:
        source = open(path, "rb")  # noqa: SIM115 - closed below, after the import
    except OSError as error:
        raise CommandError(f"cannot read {path}: {error.strerror}") from None
    with source:
        yield source


def _size(source: BinaryIO) -> int | None:
    """The byte length of a regular file; None for a pipe, whose end is not known ahead."""
    try:
        status = os.fstat(source.fileno())
    except (OSError, ValueError):
        return None
    return status.st_size if stat.S_ISREG(status.st_mode) else None


def _count(text: str) -> int:
    value = positive_int(text)
    if value > MAX_GENERATED:
        raise argparse.ArgumentTypeError(f"at most {MAX_GENERATED:,} candidates")
    return value
