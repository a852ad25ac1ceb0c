"""Write scripts/mutation-survivors.md from mutmut's results in mutants/: the score, then every
mutant not killed under the reason it is left alive, or under "Open" when nothing explains it.

Reasons come from two places. Kinds of change that are harmless wherever they occur are
recognised from the mutant's diff (the wording of a message, a read-only or row-lock hint, a
default in a Protocol); every other survivor must be named, with its reason, in
scripts/mutation-equivalents.toml. Exits 1 while any survivor is open, so a run says whether
the list is complete.

Run by scripts/mutation from the project root, with the project's virtualenv.
"""

import re
import sys
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path

from mutmut.configuration import config
from mutmut.mutation.data import SourceFileMutationData
from mutmut.mutation.diff_apply import get_diff_for_mutant
from mutmut.stats import status_by_exit_code
from mutmut.utils.file_utils import walk_mutatable_files

EQUIVALENTS = Path("scripts/mutation-equivalents.toml")
REPORT = Path("scripts/mutation-survivors.md")
KILLED = {"killed", "timeout"}

_STRING = re.compile(r"""[rbuf]*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')""", re.IGNORECASE)


class Mutant:
    def __init__(self, name: str, status: str, path: Path | None) -> None:
        """``path`` is the mutated file, to read the diff from; None skips reading it."""
        self.name = name
        self.status = status
        diff = [] if path is None else get_diff_for_mutant(name, path=path).splitlines()[2:]
        self.removed = [line[1:] for line in diff if line.startswith("-")]
        self.added = [line[1:] for line in diff if line.startswith("+")]

    @property
    def module(self) -> str:
        return re.split(r"\.x[_ǁ]", self.name, maxsplit=1)[0]

    def change(self) -> str:
        """The mutated line as it reads now, for a person skimming the list."""
        return " ".join(line.strip() for line in self.added) or "(line removed)"


def _one_line_change(mutant: Mutant) -> tuple[str, str] | None:
    if len(mutant.removed) != 1 or len(mutant.added) != 1:
        return None
    return mutant.removed[0], mutant.added[0]


def rewords_a_message(mutant: Mutant) -> bool:
    """Only the text of one string changes, and that string is prose (letters and spaces):
    wrapped in XX, or its case changed."""
    change = _one_line_change(mutant)
    if change is None:
        return False
    old, new = change
    if _STRING.sub('""', old) != _STRING.sub('""', new):
        return False
    pairs = [(a.group(1)[1:-1], b.group(1)[1:-1])
             for a, b in zip(_STRING.finditer(old), _STRING.finditer(new), strict=True)]
    changed = [(a, b) for a, b in pairs if a != b]
    if len(changed) != 1:
        return False
    before, after = changed[0]
    is_prose = " " in before.strip() and re.search(r"[a-zA-Z]{2}", before) is not None
    return is_prose and after in (f"XX{before}XX", before.upper(), before.lower())


def _squeeze(code: str) -> str:
    return code.replace(" ", "")


def _drops_hint(name: str) -> Callable[[Mutant], bool]:
    """The one change is a keyword argument ``name`` that was on (``True``, or passed on
    from the caller) becoming ``False``, ``None`` or left out."""
    argument = re.compile(rf"\s*\b{name}\s*=\s*(\w+)\s*,?")

    def drops(mutant: Mutant) -> bool:
        change = _one_line_change(mutant)
        if change is None:
            return False
        old, new = change
        before, after = argument.search(old), argument.search(new)
        rest_alike = _squeeze(argument.sub("", old)) == _squeeze(argument.sub("", new))
        return (rest_alike and before is not None and before.group(1) in ("True", name)
                and (after is None or after.group(1) in ("False", "None")))

    return drops


def defaults_a_port(mutant: Mutant) -> bool:
    change = _one_line_change(mutant)
    if mutant.module != "itmj_domain.ports" or change is None:
        return False
    default = re.compile(r"(:\s*bool\s*=\s*)(?:True|False)")
    old, new = change
    return old != new and default.sub(r"\1", old) == default.sub(r"\1", new)


RULES: list[tuple[str, str, Callable[[Mutant], bool]]] = [
    (
        "The wording of text a person reads",
        "The mutant wraps a message in `XX…XX` or changes its case: the message of a refusal "
        "(SPEC §4: `message` is for humans; clients rely on `code`, users of the domain "
        "library on the error's type and `field`, which the tests pin), the subject or body "
        "of an e-mail, the reason printed for a rejected import line. The tests check that "
        "every refusal explains itself in words (`tests/refusals.py`), not which words: "
        "pinning the prose would test trivia and break on every rewording.",
        rewords_a_message,
    ),
    (
        "A read-only unit of work opened as a writable one",
        "`read_only=True` becomes `False`, `None` or the default in a use case that only "
        "reads. Nothing is written either way, so nothing observable changes (on PostgreSQL "
        "the transaction is just not declared READ ONLY). The opposite mutants, a writing "
        "use case opened read-only, are killed: the memory store refuses writes there.",
        _drops_hint("read_only"),
    ),
    (
        "A row lock dropped",
        "`for_update=True` becomes `False`, `None` or the default. Equivalent on the memory "
        "backend the mutation run uses: its units of work run one at a time under the "
        "store's lock, so a lock taken inside one changes nothing. On PostgreSQL these locks "
        "keep two concurrent writers from losing an update, which the concurrency suites in "
        "`tests/postgres` prove against the real server (outside the mutation run).",
        _drops_hint("for_update"),
    ),
    (
        "A default in a port's signature",
        "A default of a `Protocol` method's parameter is never used: the protocol's body "
        "never runs, and each adapter declares its own default (mutmut finds no test that "
        "runs it, so these count as \"no tests\").",
        defaults_a_port,
    ),
]


def not_killed() -> Iterator[Mutant]:
    for path in walk_mutatable_files():
        data = SourceFileMutationData(path=path)
        data.load()
        for name, exit_code in data.exit_code_by_key.items():
            status = status_by_exit_code[exit_code]
            if status == "not checked":
                yield Mutant(name, status, None)
            elif status not in KILLED:
                yield Mutant(name, status, path)


def main() -> int:
    config()  # reads [tool.mutmut] from pyproject.toml, as the run did
    counts: dict[str, int] = {}
    for path in walk_mutatable_files():
        data = SourceFileMutationData(path=path)
        data.load()
        for exit_code in data.exit_code_by_key.values():
            status = status_by_exit_code[exit_code]
            counts[status] = counts.get(status, 0) + 1
    total = sum(counts.values())
    killed = sum(counts.get(status, 0) for status in KILLED)

    groups = tomllib.loads(EQUIVALENTS.read_text())["group"]
    named = {name: group for group in groups for name in group["mutants"]}
    sections: dict[str, list[str]] = {title: [] for title, _, _ in RULES}
    sections.update({group["title"]: [] for group in groups if group["title"] not in sections})
    open_: list[str] = []
    unchecked = 0
    seen: set[str] = set()
    for mutant in sorted(not_killed(), key=lambda m: m.name):
        seen.add(mutant.name)
        if mutant.status == "not checked":
            unchecked += 1
            continue
        line = f"- `{mutant.name}` ({mutant.status}) — `{mutant.change()}`"
        group = named.get(mutant.name)
        if group is not None:
            reason = group["mutants"][mutant.name]
            sections[group["title"]].append(f"{line}: {reason}" if reason else line)
            continue
        title = next((title for title, _, rule in RULES if rule(mutant)), None)
        if title is None:
            open_.append(line)
        else:
            sections[title].append(line)

    why = {title: text for title, text, _ in RULES}
    # A group titled like a rule adds the mutants the rule cannot recognise to its section.
    why.update({group["title"]: group["why"] for group in groups if "why" in group})
    stale = sorted(set(named) - seen)
    out = [
        "# Mutants of `itmj_domain` that `scripts/mutation` does not kill",
        "",
        "Written by `scripts/mutation` (`scripts/mutation_survivors.py`) after each run; edit "
        "`scripts/mutation-equivalents.toml` to explain a survivor, or better, kill it.",
        "",
        f"**Score: {killed}/{total} mutants killed ({100 * killed / total:.1f}%).** "
        + ", ".join(f"{status} {count}" for status, count in sorted(counts.items())) + ".",
        "",
        "Every mutant not killed is listed once, under the reason it is left alive, or under "
        "\"Open\" at the end. Names are mutmut's (`.venv/bin/mutmut show NAME` prints the "
        "diff); after each name, its status and the mutated line.",
    ]
    for title, lines in sections.items():
        if lines:
            out += ["", f"## {title} ({len(lines)})", "", why[title], "", *lines]
    out += ["", f"## Open: not explained and not killed ({len(open_)})", ""]
    out += open_ or ["None."]
    if unchecked:
        out += ["", f"## Not checked yet ({unchecked})", "",
                "The run stopped before reaching them: `scripts/mutation` goes on from here."]
    REPORT.write_text("\n".join(out) + "\n")
    print(f"survivors: {REPORT} ({sum(map(len, sections.values()))} explained, "
          f"{len(open_)} open, {unchecked} not checked)")
    if stale:
        print(f"{EQUIVALENTS} names {len(stale)} mutants that are now killed or gone: "
              + ", ".join(stale))
    return 1 if open_ or stale or unchecked else 0


if __name__ == "__main__":
    sys.exit(main())
