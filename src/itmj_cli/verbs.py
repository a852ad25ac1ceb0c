"""The commands that open the services, call one use case and print its answer as JSON.

A command group lists them as a table of ``Verb`` rows: the name, the help, the arguments,
and ``answer``, which calls the use case on the built services with the parsed arguments and
returns what to print.
The services are closed before anything is printed, so a command that fails, even while
closing, prints its one line on stderr and no JSON.
"""

import argparse
from collections.abc import Callable, Iterable, Mapping
from functools import partial
from typing import Any

import attrs

from itmj_adapters.composition import Services
from itmj_adapters.settings import Settings
from itmj_cli import services
from itmj_cli.output import print_json

Answer = Callable[[Services, argparse.Namespace], object]


@attrs.frozen
class Arg:
    """One ``add_argument`` call: its flags (or name) and its options."""

    flags: tuple[str, ...]
    options: Mapping[str, Any]


def arg(*flags: str, **options: Any) -> Arg:
    return Arg(flags, options)


@attrs.frozen
class Verb:
    name: str
    help: str
    arguments: tuple[Arg, ...]
    answer: Answer


def add_verbs(actions: argparse._SubParsersAction, verbs: Iterable[Verb]) -> None:
    """A parser for each verb, in the table's order, which runs it."""
    for verb in verbs:
        parser = actions.add_parser(verb.name, help=verb.help)
        for argument in verb.arguments:
            parser.add_argument(*argument.flags, **argument.options)
        parser.set_defaults(run=partial(run, verb.answer))


def run(answer: Answer, args: argparse.Namespace, settings: Settings) -> None:
    with services.opened(settings) as built:
        printed = answer(built, args)
    print_json(printed)
