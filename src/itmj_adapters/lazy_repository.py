"""Repositories a unit of work builds only when asked for them."""

from collections.abc import Callable
from typing import Generic, TypeVar

R = TypeVar("R")


class LazyRepository(Generic[R]):
    """A unit of work's repository, built on first use from the unit of work's ``sources``
    attributes (what its repositories work through) and kept for the rest of it.

    A unit of work has twelve repositories and needs one or two: on the hot path, building
    all of them cost more than the lookup they served.
    """

    def __init__(self, build: Callable[..., R], *sources: str) -> None:
        self._build = build
        self._sources = sources

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    def __get__(self, uow: object, owner: type | None = None) -> R:
        repository = self._build(*[getattr(uow, source) for source in self._sources])
        # An instance attribute of the same name now hides this descriptor.
        uow.__dict__[self._name] = repository
        return repository
