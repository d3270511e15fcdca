"""start_worker: the one way the GUI runs a worker on a thread."""

from __future__ import annotations

import gc
import threading
import weakref

import shiboken6
from PySide6.QtCore import QObject, QThread, Signal, Slot

from guiapp.threads import start_worker


class EchoWorker(QObject):
    """Reports its thread, then a result or a failure, then done (the worker contract)."""

    finished = Signal(object)
    failed = Signal(str)
    done = Signal()

    def __init__(self, fail: bool = False, gate: threading.Event | None = None) -> None:
        super().__init__()
        self.fail = fail
        self.gate = gate

    @Slot()
    def run(self) -> None:
        try:
            if self.gate is not None:
                self.gate.wait(30)
            if self.fail:
                self.failed.emit("no luck")
            else:
                self.finished.emit(threading.get_ident())
        finally:
            self.done.emit()


class Receiver(QObject):
    """Lives in the GUI (test) thread, like the tabs."""

    def __init__(self) -> None:
        super().__init__()
        self.events: list[tuple[str, object, int]] = []

    @Slot(object)
    def on_finished(self, ident: object) -> None:
        self.events.append(("finished", ident, threading.get_ident()))

    @Slot(str)
    def on_failed(self, message: str) -> None:
        self.events.append(("failed", message, threading.get_ident()))

    @Slot()
    def on_done(self) -> None:
        self.events.append(("done", None, threading.get_ident()))


def test_runs_in_its_thread_and_reports_in_the_gui_thread(qtbot) -> None:
    parent, receiver = QObject(), Receiver()
    worker = EchoWorker()
    worker.finished.connect(receiver.on_finished)
    thread = start_worker(worker, parent, name="echo", on_done=receiver.on_done)
    assert isinstance(thread, QThread) and thread.objectName() == "echo"
    assert thread.parent() is parent
    qtbot.waitUntil(lambda: len(receiver.events) == 2, timeout=10_000)
    (kind, worker_ident, seen_in), (last, _, done_in) = receiver.events
    gui = threading.get_ident()
    assert kind == "finished" and last == "done"  # the result first, then on_done
    assert worker_ident != gui  # run() ran on the new thread
    assert seen_in == gui and done_in == gui  # slots ran in the GUI thread


def test_failure_path_also_ends_the_thread(qtbot) -> None:
    parent, receiver = QObject(), Receiver()
    worker = EchoWorker(fail=True)
    worker.failed.connect(receiver.on_failed)
    start_worker(worker, parent, on_done=receiver.on_done)
    qtbot.waitUntil(lambda: [e[0] for e in receiver.events] == ["failed", "done"], timeout=10_000)
    assert receiver.events[0][1] == "no luck"


def test_done_quits_the_thread_even_while_the_gui_thread_waits(qtbot) -> None:
    # Direct quit: a queued one would need the GUI thread's event loop, which is
    # blocked in wait() here (as when the window closes), and wait() would time out.
    gate, parent = threading.Event(), QObject()
    thread = start_worker(EchoWorker(gate=gate), parent)
    gate.set()
    assert thread.wait(30_000)


def test_worker_and_thread_are_deleted_afterwards(qtbot) -> None:
    parent, receiver = QObject(), Receiver()
    worker = EchoWorker()
    worker_ref = weakref.ref(worker)
    thread = start_worker(worker, parent, on_done=receiver.on_done)
    del worker  # the thread keeps it alive while it runs
    qtbot.waitUntil(lambda: not shiboken6.isValid(thread), timeout=10_000)
    assert receiver.events and receiver.events[-1][0] == "done"
    assert parent.findChildren(QThread) == []
    thread = None  # our last reference to the (deleted) thread wrapper
    gc.collect()
    assert worker_ref() is None  # nothing holds the worker once its thread is gone


def test_a_worker_nobody_references_still_runs(qtbot) -> None:
    receiver = Receiver()
    parent = QObject()

    def start() -> None:
        worker = EchoWorker()
        worker.finished.connect(receiver.on_finished)
        start_worker(worker, parent, on_done=receiver.on_done)  # the only reference goes here

    start()
    # Wait for the thread's end too: the parent must not be destroyed (at the test's
    # end) while its thread still runs.
    qtbot.waitUntil(lambda: [e[0] for e in receiver.events] == ["finished", "done"], timeout=10_000)
