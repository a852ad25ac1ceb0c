"""The CPU that processes spent, read from /proc: what the benchmarks charge each part with."""

import os
from pathlib import Path


def cpu_seconds(pids: list[int]) -> float:
    """User and system CPU of every thread of these processes, as far as they still run."""
    ticks = 0
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except FileNotFoundError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")
