"""A progress bar on one terminal line, for commands that stream large inputs.

It is drawn only when it changes (a new whole percent, or another MiB when the total is not
known), so a million small steps cost a hundred redraws, and only on a terminal: a pipe or a
log file gets nothing but the command's one line of output.
"""

from typing import TextIO

WIDTH = 30
_MIB = 1024 * 1024


class ProgressBar:
    def __init__(self, stream: TextIO, label: str, total_bytes: int | None) -> None:
        self._stream = stream
        self._label = label
        self._total = total_bytes or None
        self._done = 0
        self._shown: int | None = None

    def advance(self, amount: int) -> None:
        self._done += amount
        mark = self._mark()
        if mark != self._shown:
            self._shown = mark
            self._stream.write("\r" + self._line())
            self._stream.flush()

    def finish(self) -> None:
        if self._shown is not None:
            self._stream.write("\n")
            self._stream.flush()

    def _mark(self) -> int:
        if self._total is None:
            return self._done // _MIB
        return min(100, self._done * 100 // self._total)

    def _line(self) -> str:
        if self._total is None:
            return f"{self._label} {self._done / _MIB:,.0f} MiB"
        filled = WIDTH * self._mark() // 100
        return f"{self._label} [{'#' * filled}{'-' * (WIDTH - filled)}] {self._mark():3d}%"
