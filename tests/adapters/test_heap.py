"""The C heap's free pages go back to the system before a server forks its workers."""

import platform

import pytest

from itmj_adapters.heap import release_free_pages


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="malloc_trim is glibc's")
def test_free_pages_are_released_on_glibc():
    held = [bytes(1000) for _ in range(20_000)]
    del held

    assert release_free_pages()
