"""Starting the app: QApplication, a crash guard, the main window, and start-up timing.

Set ``SKETCH_CLASSIFIER_BENCH`` to a ``time.monotonic()`` reading taken when the
process was launched, and the app prints how long the window took to appear and
the model to load, then quits (``tests/benchmarks/bench_startup.py`` does this).
"""

from __future__ import annotations

import os
import sys
import time
import traceback
from types import TracebackType

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QThread, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from guiapp.i18n import install_translators, resolve_language
from guiapp.icon import app_icon
from guiapp.main_window import MainWindow
from guiapp.settings import APPLICATION, ORGANIZATION, AppSettings

BENCH_ENV = "SKETCH_CLASSIFIER_BENCH"
BENCH_TIMEOUT_MS = 120_000


class ErrorReporter:
    """A ``sys.excepthook``: print the traceback, tell the user, keep running.

    PySide6 hands exceptions raised in slots to ``sys.excepthook``; without this
    they would only reach a terminal the user may not have.
    """

    def __init__(self, app: QApplication) -> None:
        """Report errors in windows belonging to ``app``."""
        self._app = app

    def __call__(
        self, kind: type[BaseException], error: BaseException, tb: TracebackType | None
    ) -> None:
        """Handle one uncaught exception."""
        traceback.print_exception(kind, error, tb, file=sys.stderr)
        if issubclass(kind, KeyboardInterrupt):
            self._app.quit()
            return
        # Widgets may only be made on the GUI thread; elsewhere the print must do.
        if QThread.currentThread() is not self._app.thread():
            return
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            QCoreApplication.translate("ErrorReporter", "Sketch Classifier"),
            QCoreApplication.translate(
                "ErrorReporter",
                "Something went wrong: {error}\n\n"
                "The app keeps running; the details were printed to the terminal.",
            ).format(error=error or kind.__name__),
            QMessageBox.StandardButton.Ok,
            self._app.activeWindow(),
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()  # not exec(): a modal loop inside an error handler can freeze


class StartupReporter(QObject):
    """Prints start-up milestones (seconds since launch); quits once the model is ready
    and the chart is built (whichever comes last: the model usually comes first)."""

    def __init__(self, started: float, window: MainWindow) -> None:
        """Watch ``window``; ``started`` is the launcher's ``time.monotonic()``."""
        super().__init__(window)
        self._started = started
        self._shown = False
        self._pending = {"chart_ready", "model_ready"}
        window.installEventFilter(self)
        window.classify_tab.chartReady.connect(self.on_chart_ready)
        window.classify_tab.modelReady.connect(self.on_model_ready)
        window.classify_tab.modelFailed.connect(self.on_model_failed)
        QTimer.singleShot(BENCH_TIMEOUT_MS, self.on_timeout)

    def report(self, milestone: str) -> None:
        """Print one milestone."""
        print(f"{milestone} {time.monotonic() - self._started:.3f}", flush=True)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802  (Qt override)
        """The first paint of the window is "window shown"."""
        if not self._shown and event.type() == QEvent.Type.Paint:
            self._shown = True
            self.report("window_shown")
        return False

    def on_chart_ready(self) -> None:
        """The pyqtgraph chart exists."""
        self._reached("chart_ready")

    def on_model_ready(self) -> None:
        """The first prediction is possible."""
        self._reached("model_ready")

    def _reached(self, milestone: str) -> None:
        if milestone in self._pending:
            self.report(milestone)
            self._pending.discard(milestone)
            if not self._pending:
                QApplication.instance().quit()

    def on_model_failed(self, message: str) -> None:
        """The model cannot load: say so and stop, rather than wait for the timeout."""
        print(f"model could not be loaded: {message}", file=sys.stderr, flush=True)
        self.report("model_failed")
        QApplication.instance().exit(1)

    def on_timeout(self) -> None:
        """Give up rather than hang a benchmark."""
        self.report("timeout")
        QApplication.instance().exit(1)


def configure_application() -> None:
    """Application-wide Qt settings, before the QApplication exists.

    Qt's xcb plugin merges pointer moves that queue up while the GUI thread is busy
    into the last one. When the model loader held the GUI thread up, a curve drawn
    meanwhile arrived as one move and became a straight chord: every move is kept.
    """
    QApplication.setAttribute(Qt.ApplicationAttribute.AA_CompressHighFrequencyEvents, False)
    QApplication.setAttribute(Qt.ApplicationAttribute.AA_CompressTabletEvents, False)


def run(argv: list[str] | None = None) -> int:
    """Show the main window and run the event loop; return the exit status."""
    configure_application()
    app = QApplication.instance() or QApplication([sys.argv[0], *(argv or [])])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setWindowIcon(app_icon())
    previous_hook = sys.excepthook
    sys.excepthook = ErrorReporter(app)
    try:
        settings = AppSettings()
        # Before any widget exists: each sets its text once (see guiapp.i18n).
        install_translators(app, resolve_language(settings.language()))
        window = MainWindow(settings)
        bench = os.environ.get(BENCH_ENV)
        if bench:
            StartupReporter(float(bench), window)
        window.show()
        return app.exec()
    finally:
        sys.excepthook = previous_hook
