"""The installed PySide6 keeps Python's reference counts straight.

PySide6 6.12.0 on Python < 3.12 drops a reference to ``None`` on every void Qt call
and one to ``True`` on every ``emit()``; a long training session then aborts with
"Fatal Python error: none_dealloc". pyproject.toml excludes that release; this test
fails if a leaking release is installed anyway.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    status = Signal(str)


def test_void_calls_and_emits_do_not_leak_singletons(qapp) -> None:
    emitter = _Emitter()
    received: list[str] = []
    emitter.status.connect(received.append)
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(2_000):
        emitter.status.emit("x")
        emitter.setObjectName("w")
    assert len(received) == 2_000
    assert abs(sys.getrefcount(None) - none_before) < 100
    assert abs(sys.getrefcount(True) - true_before) < 100
