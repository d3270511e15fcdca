"""``train --workers N``: N local worker processes forming a multi-worker cluster on 127.0.0.1.

For trying multi-worker training out and for tests; a real cluster sets ``TF_CONFIG``
itself (Kubeflow's TFJob, see README). Each worker is this program again, run with
``--strategy multi-worker`` and its own ``TF_CONFIG`` naming N free localhost ports.
The workers' output is passed on, each line prefixed with its worker. Whatever
happens (a worker failing, Ctrl+C, an exception here), every worker is ended before
:func:`run_local_workers` returns.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

GRACE_SECONDS = 20.0
"""How long a worker asked to stop has to save and exit before it is killed."""


def free_ports(count: int) -> list[int]:
    """``count`` distinct TCP ports free on 127.0.0.1 right now (the kernel picks them)."""
    sockets = []
    try:
        for _ in range(count):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind(("127.0.0.1", 0))
            sockets.append(s)
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def tf_config(ports: Sequence[int], index: int) -> str:
    """The ``TF_CONFIG`` of worker ``index`` in a localhost cluster on ``ports``."""
    cluster = {"worker": [f"127.0.0.1:{port}" for port in ports]}
    return json.dumps({"cluster": cluster, "task": {"type": "worker", "index": index}})


def worker_command(argv: Sequence[str]) -> list[str]:
    """The command line that runs this program's CLI with ``argv``."""
    main = Path(__file__).resolve().parent.parent / "main.py"
    if getattr(sys, "frozen", False) or not main.is_file():  # a packaged build
        return [sys.executable, *argv]
    return [sys.executable, str(main), *argv]


def _pump(stream: TextIO, prefix: str, out: TextIO) -> None:
    for line in stream:
        out.write(f"{prefix}{line}")
        out.flush()


class LocalCluster:
    """N worker processes on localhost; a context manager that always ends them.

    Args:
        argv: The ``train`` command line every worker runs (with
            ``--strategy multi-worker``, without ``--workers``).
        workers: How many.
        out: Where their output goes, each line prefixed ``[worker i] ``.
        env: Extra environment for the workers.
        grace: Seconds a worker asked to end has before it is killed.
    """

    def __init__(
        self, argv: Sequence[str], workers: int, out: TextIO | None = None,
        env: dict[str, str] | None = None, grace: float = GRACE_SECONDS,
    ) -> None:  # fmt: skip
        self._argv = list(argv)
        self._count = workers
        self._out = out or sys.stdout
        self._env = env or {}
        self._grace = grace
        self.processes: list[subprocess.Popen[str]] = []
        self._pumps: list[threading.Thread] = []

    def __enter__(self) -> LocalCluster:
        ports = free_ports(self._count)
        try:
            for index in range(self._count):
                env = {**os.environ, **self._env, "TF_CONFIG": tf_config(ports, index)}
                process = subprocess.Popen(  # our own program, not a shell
                    worker_command(self._argv), env=env, stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT, text=True, bufsize=1,
                    start_new_session=True,  # Ctrl+C reaches them through stop(), once
                )  # fmt: skip
                self.processes.append(process)
                pump = threading.Thread(
                    target=_pump,
                    args=(process.stdout, f"[worker {index}] ", self._out),
                    daemon=True,
                )
                pump.start()
                self._pumps.append(pump)
        except BaseException:
            self.end()
            raise
        return self

    def stop(self) -> None:
        """Ask every worker to stop as Ctrl+C does (the chief then publishes its best model)."""
        for process in self.processes:
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    process.send_signal(signal.SIGINT)

    def wait(
        self, poll: Callable[[], bool] | None = None, timeout: float | None = None
    ) -> list[int]:
        """Wait for every worker; when one fails, end the others. Returns the exit codes.

        Args:
            poll: Called about once a second; True asks the workers to stop (SIGINT).
            timeout: Seconds to wait at most; then every worker is ended and
                TimeoutError raised.
        """
        import time  # noqa: PLC0415

        deadline = None if timeout is None else time.monotonic() + timeout
        stopping = False
        while any(p.poll() is None for p in self.processes):
            if deadline is not None and time.monotonic() > deadline:
                self.end()
                raise TimeoutError(f"the workers did not finish within {timeout:.0f} s")
            for p in self.processes:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    p.wait(timeout=1.0 / len(self.processes))
            if any(p.poll() not in (None, 0) for p in self.processes):
                # A worker died: the others would wait for it in their next all-reduce.
                self.end()
                break
            if not stopping and poll is not None and poll():
                stopping = True
                self.stop()
        for pump in self._pumps:
            pump.join(timeout=5.0)
        return [p.wait() for p in self.processes]

    def end(self) -> None:
        """End every worker still running: SIGTERM, then SIGKILL after a grace period."""
        for process in self.processes:
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=self._grace)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def __exit__(self, *exc: Any) -> None:
        self.end()
        for pump in self._pumps:
            pump.join(timeout=5.0)  # at the end of the output of an ended process
        for process in self.processes:
            if process.stdout is not None:
                process.stdout.close()


def run_local_workers(
    argv: Sequence[str], workers: int, should_stop: Callable[[], bool] | None = None,
    out: TextIO | None = None,
) -> int:  # fmt: skip
    """Run ``argv`` (a ``train`` command line) on ``workers`` local worker processes.

    Returns:
        0 when every worker succeeded, else the first failing worker's exit status.
    """
    with LocalCluster(argv, workers, out) as cluster:
        codes = cluster.wait(should_stop)
    failed = [code for code in codes if code != 0]
    return failed[0] if failed else 0
