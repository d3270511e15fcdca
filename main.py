"""Sketch Classifier: the window by default, or a command-line job.

python main.py                      # the window
python main.py classify FILE...     # see `python main.py --help`
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

COMMANDS = ("classify", "train", "evaluate", "export")


def main(argv: Sequence[str] | None = None) -> int:
    """Open the GUI, or run a subcommand; return the exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] == "gui":
        # Qt aborts the process when a system library is missing; say which instead.
        from guiapp.system_libraries import import_error_message, startup_problem  # noqa: PLC0415

        problem = startup_problem()
        if problem is None:
            # Only Qt is imported here: TensorFlow loads behind the window.
            try:
                from guiapp.app import run  # noqa: PLC0415
            except ImportError as exc:  # typically libGL.so.1 or libEGL.so.1
                problem = import_error_message(exc)
        if problem is not None:
            print(
                f"sketch-classifier: cannot start the window.\n{problem}"
                "The command line (classify, train, evaluate) works without them.",
                file=sys.stderr,
            )
            return 1
        return run(args[1:])
    from training.cli import main as cli_main  # noqa: PLC0415

    return cli_main(args)


if __name__ == "__main__":
    # The image cache's process pool spawns this executable again in a packaged
    # build: freeze_support() makes such a child run its task, not the app.
    import multiprocessing

    multiprocessing.freeze_support()
    sys.exit(main())
