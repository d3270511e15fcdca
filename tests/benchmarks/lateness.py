"""Event-loop lateness, shared by the GUI benchmarks (bench_training, bench_explain)."""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, Qt, QTimer, Slot

TIMER_MS = 10


class LatenessProbe(QObject):
    """A 10 ms precise timer in the GUI thread; records how late each tick comes.

    Args:
        recording: Whether ticks are recorded from the start (set ``recording``
            later to leave out a warm-up).
    """

    def __init__(self, recording: bool = True) -> None:
        super().__init__()
        self.timer = QTimer(self)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(TIMER_MS)
        self.timer.timeout.connect(self.tick)
        self.recording = recording
        self.lateness_ms: list[float] = []
        self.own_ms: list[float] = []
        self._last: float | None = None
        self._last_cpu = 0.0

    @Slot()
    def tick(self) -> None:
        now, cpu = time.perf_counter(), time.thread_time()
        if self.recording and self._last is not None:
            self.lateness_ms.append(max(0.0, (now - self._last) * 1000 - TIMER_MS))
            # The GUI thread's own CPU time between ticks: what it would be late by
            # with a core to itself, whatever other processes on the machine do.
            self.own_ms.append(max(0.0, (cpu - self._last_cpu) * 1000 - TIMER_MS))
        self._last, self._last_cpu = now, cpu
