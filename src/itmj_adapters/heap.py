"""The C heap of a process that is about to fork its workers."""

import ctypes
import ctypes.util


def release_free_pages() -> bool:
    """Hand the free pages of the C heap back to the system (glibc's ``malloc_trim``).

    Filling an index frees much memory that the C library keeps for later. A worker forked
    from this process would share those pages only to copy each one that its first
    allocations land in; handed back, they cost no process anything. False where the C
    library has no such call (it is glibc's).
    """
    try:
        malloc_trim = ctypes.CDLL(ctypes.util.find_library("c")).malloc_trim
    except (OSError, AttributeError):
        return False
    malloc_trim.argtypes = [ctypes.c_size_t]
    malloc_trim.restype = ctypes.c_int
    malloc_trim(0)
    return True
