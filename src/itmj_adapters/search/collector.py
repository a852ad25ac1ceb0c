"""Writes to the index run with Python's cyclic garbage collector paused.

A batch of candidates allocates hundreds of thousands of short-lived lists, dicts and strings,
none of them in a reference cycle: reference counting frees every one. Left running, the
collector sets off a collection every few hundred allocations, walking every young container
and, every few batches, the whole index again. Paused for a write, it does none of that work;
a cycle made meanwhile (none is) would be found by the first collection after it.
"""

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic collector while in the block, unless it is paused already."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
