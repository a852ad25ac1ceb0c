"""The services of a worker process, built once and shared by every task it runs, and
whether the process has been told to stop.

RQ calls tasks by import path with only their arguments, so the process's services (and a
stop asked for while a task runs, which a long task heeds) have to be reachable from module
level; this is the one place that holds them.
"""

import threading

from itmj_adapters.composition import Services, build_services


class _ProcessServices:
    def __init__(self) -> None:
        self._services: Services | None = None
        self._lock = threading.Lock()

    def install(self, services: Services) -> None:
        with self._lock:
            self._services = services

    def get(self) -> Services:
        """The installed services; a worker started by RQ's own command builds them from the
        environment on first use."""
        with self._lock:
            if self._services is None:
                self._services = build_services()
            return self._services


_process = _ProcessServices()
install = _process.install
services = _process.get

# Set by the worker's signal handler; a task that works in rounds ends at the next one.
stop_requested = threading.Event()
