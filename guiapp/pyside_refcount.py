"""A guard against PySide6 6.12.0's lost references to None/True/False on Python < 3.12.

Measured here (PySide6-Essentials 6.12.0, shiboken6 6.12.0, Python 3.11): every Qt
method that returns nothing (``QProgressBar.setValue``, ``setData``...) returns
``None`` without taking a reference to it, and every ``Signal.emit`` does the same
with ``True``. Each call from Python (ours, pyqtgraph's) so drops one reference.
``None`` has about 30,000 references with TensorFlow loaded; one live-plot update
costs about ten, so a training run ends in "Fatal Python error: none_dealloc:
deallocating None" (or ``bool_dealloc``), often only at exit.

Python 3.12 made ``None``, ``True`` and ``False`` immortal, which hides the bug there.
On older Pythons :func:`guard_pyside_refcounts` does the same by raising their
reference counts far out of reach, and only if the leak is actually measured.
"""

from __future__ import annotations

import ctypes
import sys

from PySide6.QtCore import QObject, Signal

# Far more calls than any session makes, far below the count's 2**63 limit.
_HEADROOM = 1 << 40
_SINGLETONS = (None, True, False)


class _Probe(QObject):
    signal = Signal()


def _count(obj: object) -> ctypes.c_ssize_t:
    # ob_refcnt is the first field of every object in CPython's (non-debug) layout.
    return ctypes.c_ssize_t.from_address(id(obj))


def leaks_references() -> bool:
    """Whether a void Qt call or an ``emit()`` leaves None or True a reference short."""
    probe = _Probe()
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    probe.setObjectName("probe")  # returns None
    probe.signal.emit()  # returns True
    lost_none = none_before - sys.getrefcount(None)
    lost_true = true_before - sys.getrefcount(True)
    # Give back what the probe took, so measuring never makes things worse.
    for obj, lost in ((None, lost_none), (True, lost_true)):
        for _ in range(max(lost, 0)):
            ctypes.pythonapi.Py_IncRef(ctypes.py_object(obj))
    return lost_none > 0 or lost_true > 0


def guard_pyside_refcounts() -> bool:
    """Make None, True and False effectively immortal if PySide leaks them; idempotent.

    Call it once at start-up, before the event loop runs (the Train tab and its
    worker call it too).

    Returns:
        Whether the guard is (now) in place.
    """
    if sys.version_info >= (3, 12):
        return False  # immortal already
    if all(_count(obj).value > _HEADROOM // 2 for obj in _SINGLETONS):
        return True  # done before
    if not leaks_references():
        return False
    for obj in _SINGLETONS:
        _count(obj).value += _HEADROOM
    return True
