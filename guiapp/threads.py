"""The one way the GUI starts a worker on a thread (in the spirit of superqt's
``new_worker_qthread``).

A worker is a ``QObject`` with a ``run()`` slot and a ``done`` signal. Its contract,
which every worker in ``guiapp`` keeps: ``run()`` ends by emitting exactly one of
its result signals (``finished``/``cancelled``/``failed``, or ``loaded``/``failed``,
...) and then ``done``, whatever happens. :func:`start_worker` wires the rest, the
same way every time, so that no caller can forget a connection.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QObject, Qt, QThread, SignalInstance


class Worker(Protocol):
    """What :func:`start_worker` needs of a worker (besides being a QObject)."""

    done: SignalInstance

    def run(self) -> None:
        """Do the work; emit one result signal, then ``done``."""


def start_worker(
    worker: QObject,
    parent: QObject,
    *,
    name: str = "worker",
    on_done: Callable[[], object] | None = None,
) -> QThread:
    """Run ``worker.run()`` on a new QThread and clean both up when it ends.

    The wiring, in order:

    * ``thread.started -> worker.run``: the work runs in the new thread;
    * ``worker.done -> thread.quit``, a *direct* connection: ``quit()`` is
      thread-safe, and the thread must end even while the GUI thread is blocked in
      ``QThread.wait()`` (the window closing), when a queued call would never run;
    * ``thread.finished -> on_done``, then ``thread.deleteLater``: both run in the
      GUI thread, in that order, so ``on_done`` may still use the thread object.
    * The thread holds the worker's Python reference, so a caller that keeps none
      does not let Python delete a running worker. The worker is deleted once the
      thread object is gone and no caller holds it: in the GUI thread, after its own
      thread has ended (so it processes no events), rather than with ``deleteLater``
      in the ending thread, which races with Python dropping its wrapper.

    Connect the worker's result signals *before* calling this: the worker may
    start emitting at once.

    Args:
        worker: A QObject with a ``run()`` slot and a ``done`` signal; it must have
            no parent (a parented object cannot be moved to another thread).
        parent: The thread's Qt parent (usually the widget that owns the job).
        name: The thread's object name, shown in debuggers and logs.
        on_done: Called in the GUI thread once the thread has ended. Pass a bound
            method of a QObject living in the GUI thread, never a lambda, so that Qt
            queues the call into that thread.

    Returns:
        The running thread; keep a reference while you need it (until ``on_done``).
    """
    thread = QThread(parent)
    thread.setObjectName(name)
    worker.moveToThread(thread)
    thread.started.connect(worker.run)
    worker.done.connect(thread.quit, Qt.ConnectionType.DirectConnection)  # type: ignore[attr-defined]
    if on_done is not None:
        thread.finished.connect(on_done)
    thread.finished.connect(thread.deleteLater)
    thread.worker = worker  # type: ignore[attr-defined]  # (see above)
    thread.start()
    return thread
