"""A progress bar for long commands on a terminal; plain periodic lines when output is not a terminal."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class ProgressBar:
    def __init__(self, stream: TextIO | None = None, width: int = 30, interval: float = 0.2) -> None:
        self.stream = stream or sys.stderr
        self.width = width
        self.interval = interval
        self.tty = self.stream.isatty()
        self._last = 0.0
        self._stage = ""
        self._started = time.monotonic()

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        fraction = min(1.0, done / total) if total else 1.0
        if stage == self._stage and now - self._last < self.interval and fraction < 1.0:
            return
        if not self.tty and stage == self._stage and now - self._last < 5.0:
            return
        self._last = now
        filled = int(self.width * fraction)
        bar = "█" * filled + "·" * (self.width - filled)
        elapsed = now - self._started
        line = f"{bar} {fraction:6.1%}  {stage[:60]:<60} {elapsed:6.0f}s"
        if self.tty:
            self.stream.write("\r" + line)
            if stage != self._stage and self._stage:
                pass
        else:
            self.stream.write(line + "\n")
        self.stream.flush()
        self._stage = stage

    def close(self) -> None:
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()
