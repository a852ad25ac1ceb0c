"""The composition root, opened for the length of one command."""

from collections.abc import Iterator
from contextlib import contextmanager

from itmj_adapters.composition import Services, build_services
from itmj_adapters.settings import Settings


@contextmanager
def opened(settings: Settings) -> Iterator[Services]:
    services = build_services(settings)
    try:
        yield services
    finally:
        services.close()
