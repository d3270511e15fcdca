"""A tab whose content is built on first need, so start-up imports only what it shows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

W = TypeVar("W", bound=QWidget)


class LazyTab(QWidget, Generic[W]):
    """Holds a tab's place and builds its content with ``factory`` when first needed.

    Needed means: the tab is shown, :meth:`content` is called, or the owner calls
    :meth:`build` in idle time after the window is up. The Train tab's plots import
    pyqtgraph (0.3-0.7 s), which must not delay the window's first paint.
    """

    def __init__(self, factory: Callable[[], W], parent: QWidget | None = None) -> None:
        """Keep ``factory``; nothing is built yet."""
        super().__init__(parent)
        self._factory = factory
        self._content: W | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    @property
    def is_built(self) -> bool:
        """Whether the content exists."""
        return self._content is not None

    def build(self) -> W:
        """Build the content now if it is not yet built; return it."""
        if self._content is None:
            self._content = self._factory()
            self._layout.addWidget(self._content)
        return self._content

    content = build

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802  (Qt override)
        """Build before the first time the tab is seen."""
        self.build()
        super().showEvent(event)

    def shutdown(self, *args: object, **kwargs: object) -> object:
        """Forward the main window's shutdown to the content, if built and able."""
        shutdown = getattr(self._content, "shutdown", None)
        return shutdown(*args, **kwargs) if callable(shutdown) else True
