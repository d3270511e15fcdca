"""The drawing canvas on its own: strokes, eraser, undo/redo, pictures, drop and paste."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QImage, QPointingDevice, QTabletEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from guiapp.canvas import CANVAS_SIZE, SketchCanvas
from tests.guiapp.gui_drawing import ONE, draw, line, widget_point


@pytest.fixture
def canvas(qtbot) -> SketchCanvas:
    """A shown 300x300 canvas."""
    widget = SketchCanvas()
    qtbot.addWidget(widget)
    widget.resize(300, 300)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def ink(canvas: SketchCanvas) -> int:
    """Number of dark pixels in the preprocessor's image."""
    return int((canvas.to_array() < 128).sum())


def digit_file(folder: Path, name: str = "one.png") -> Path:
    """A black "1" on white saved as an image file."""
    image = Image.new("L", (120, 160), 255)
    ImageDraw.Draw(image).line([(60, 20), (60, 140)], fill=0, width=12)
    path = folder / name
    image.save(path)
    return path


def test_stroke_puts_ink_on_the_logical_image(canvas: SketchCanvas) -> None:
    assert canvas.is_empty()
    assert canvas.to_array().shape == (CANVAS_SIZE, CANVAS_SIZE)
    draw(canvas, ONE)
    array = canvas.to_array()
    assert array.dtype == np.uint8
    assert array[140, 136:142].max() < 64  # the stroke passes here
    assert array[140, 40].min() == 255  # paper elsewhere
    assert not canvas.is_empty()


def test_image_does_not_depend_on_widget_size(canvas: SketchCanvas, qtbot) -> None:
    draw(canvas, ONE)
    small = canvas.to_array().astype(int)
    big = SketchCanvas()
    qtbot.addWidget(big)
    big.resize(700, 560)
    big.show()
    qtbot.waitExposed(big)
    draw(big, ONE)
    # Same stroke in canvas units -> the same 280x280 picture (rounding aside).
    assert np.abs(small - big.to_array().astype(int)).mean() < 2.0


def test_signals_while_drawing_and_at_stroke_end(canvas: SketchCanvas, qtbot) -> None:
    button, modifier = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    with qtbot.waitSignal(canvas.drawing):
        QTest.mousePress(canvas, button, modifier, widget_point(canvas, 100, 100))
    assert canvas.is_drawing()
    with qtbot.waitSignal(canvas.drawing):
        QTest.mouseMove(canvas, widget_point(canvas, 150, 150))
    with qtbot.waitSignal(canvas.changed):
        QTest.mouseRelease(canvas, button, modifier, widget_point(canvas, 150, 150))
    assert not canvas.is_drawing()


def test_click_makes_a_dot(canvas: SketchCanvas) -> None:
    draw(canvas, [(140, 140)])
    assert canvas.to_array()[140, 140] < 64


def test_undo_redo_clear(canvas: SketchCanvas) -> None:
    draw(canvas, ONE)
    one = ink(canvas)
    draw(canvas, line((60, 140), (220, 140)))
    both = ink(canvas)
    assert both > one
    canvas.undo()
    assert ink(canvas) == one
    canvas.redo()
    assert ink(canvas) == both
    assert not canvas.can_redo()
    canvas.clear()
    assert canvas.is_empty() and ink(canvas) == 0
    canvas.undo()  # clear is undoable too
    assert ink(canvas) == both
    canvas.undo()
    canvas.undo()
    assert canvas.is_empty() and not canvas.can_undo()
    canvas.undo()  # nothing left: harmless
    assert canvas.is_empty()


def test_new_stroke_forgets_redo(canvas: SketchCanvas) -> None:
    draw(canvas, ONE)
    canvas.undo()
    assert canvas.can_redo()
    draw(canvas, line((60, 140), (220, 140)))
    assert not canvas.can_redo()


def test_eraser_and_right_button_erase(canvas: SketchCanvas) -> None:
    draw(canvas, line((60, 140), (220, 140)))
    canvas.set_pen_width(40)
    draw(canvas, line((50, 140), (230, 140)), button=Qt.MouseButton.RightButton)
    assert ink(canvas) == 0
    canvas.undo()
    canvas.set_eraser(True)
    draw(canvas, line((50, 140), (230, 140)))
    assert ink(canvas) == 0


def test_pen_width_is_clamped_and_changes_strokes(canvas: SketchCanvas) -> None:
    canvas.set_pen_width(1000)
    assert canvas.pen_width() <= 48
    draw(canvas, ONE)
    wide = ink(canvas)
    canvas.clear()
    canvas.set_pen_width(6)
    draw(canvas, ONE)
    assert ink(canvas) < wide / 3


def test_tablet_pen_draws(canvas: SketchCanvas) -> None:
    device = QPointingDevice.primaryPointingDevice()
    for kind, (x, y) in (
        (QTabletEvent.Type.TabletPress, (140, 50)),
        (QTabletEvent.Type.TabletMove, (140, 140)),
        (QTabletEvent.Type.TabletRelease, (140, 230)),
    ):
        pos = QPointF(widget_point(canvas, x, y))
        event = QTabletEvent(
            kind,
            device,
            pos,
            canvas.mapToGlobal(pos),
            0.8,
            0.0,
            0.0,
            0.0,
            0.0,
            0.0,
            Qt.KeyboardModifier.NoModifier,
            Qt.MouseButton.LeftButton,
            Qt.MouseButton.LeftButton,
        )
        QApplication.sendEvent(canvas, event)
        assert event.isAccepted()
    assert canvas.to_array()[140, 140] < 64
    assert canvas.can_undo()


def test_load_file_shows_picture_and_undo_removes_it(canvas: SketchCanvas, tmp_path: Path) -> None:
    draw(canvas, line((20, 20), (60, 20)))
    assert canvas.load_file(digit_file(tmp_path))
    array = canvas.to_array()
    assert array[140, 140] < 64  # the picture's stroke, scaled to fit
    assert array[20, 40] == 255  # loading replaced the old drawing
    draw(canvas, line((20, 260), (260, 260)))  # and it can be drawn over
    assert canvas.to_array()[260, 140] < 64
    canvas.undo()
    canvas.undo()
    assert canvas.to_array()[20, 40] < 64  # back to the drawing before the load


def test_unreadable_file_leaves_canvas_and_says_why(
    canvas: SketchCanvas, qtbot, tmp_path: Path
) -> None:
    draw(canvas, ONE)
    before = canvas.to_array()
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n this is not really a png")
    with qtbot.waitSignal(canvas.messageChanged) as blocker:
        assert not canvas.load_file(broken)
    assert "broken.png" in blocker.args[0] and blocker.args[0].startswith("Could not")
    assert np.array_equal(canvas.to_array(), before)
    with qtbot.waitSignal(canvas.messageChanged):
        assert not canvas.load_file(tmp_path / "missing.png")
    assert np.array_equal(canvas.to_array(), before)


def test_white_on_black_picture_gets_white_ink(canvas: SketchCanvas, tmp_path: Path) -> None:
    image = Image.new("L", (28, 40), 0)  # wide margins would be letterboxed
    ImageDraw.Draw(image).line([(14, 5), (14, 35)], fill=255, width=3)
    path = tmp_path / "mnist-like.png"
    image.save(path)
    assert canvas.load_file(path)
    assert canvas.current.paper < 32 and canvas.current.ink == 255
    array = canvas.to_array()
    assert array[140, 5] < 32  # the letterbox margin takes the picture's black
    draw(canvas, line((40, 40), (40, 240)))
    assert canvas.to_array()[140, 40] > 200


def drop(canvas: SketchCanvas, mime: QMimeData) -> QDropEvent:
    """Send drag-enter then drop events carrying ``mime``; return the drop event."""
    pos = widget_point(canvas, 140, 140)
    enter = QDragEnterEvent(
        pos,
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(canvas, enter)
    assert enter.isAccepted()
    event = QDropEvent(
        QPointF(pos),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(canvas, event)
    return event


def test_drop_a_file(canvas: SketchCanvas, tmp_path: Path) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(digit_file(tmp_path)))])
    assert drop(canvas, mime).isAccepted()
    assert canvas.current.picture is not None
    assert canvas.to_array()[140, 140] < 64


def test_drop_image_data(canvas: SketchCanvas) -> None:
    image = QImage(50, 50, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.white)
    for y in range(10, 40):
        image.setPixelColor(25, y, Qt.GlobalColor.black)
    mime = QMimeData()
    mime.setImageData(image)
    assert drop(canvas, mime).isAccepted()
    assert canvas.current.picture is not None


def test_drop_of_something_else_is_refused(canvas: SketchCanvas) -> None:
    mime = QMimeData()
    mime.setText("hello")
    pos = widget_point(canvas, 140, 140)
    enter = QDragEnterEvent(
        pos,
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(canvas, enter)
    assert not enter.isAccepted()


def test_paste_image_and_file(canvas: SketchCanvas, tmp_path: Path, qtbot) -> None:
    clipboard = QApplication.clipboard()
    image = QImage(digit_file(tmp_path).as_posix())
    assert not image.isNull()
    clipboard.setImage(image)
    assert canvas.paste()
    assert canvas.to_array()[140, 140] < 64
    canvas.clear()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(digit_file(tmp_path, "two.png")))])
    clipboard.setMimeData(mime)
    assert canvas.paste()
    assert canvas.current.picture is not None and canvas.current.picture.source == "two.png"
    clipboard.setText("no picture here")
    with qtbot.waitSignal(canvas.messageChanged) as blocker:
        assert not canvas.paste()
    assert "no image" in blocker.args[0]


def _grey(widget: SketchCanvas) -> np.ndarray:
    image = widget.grab().toImage().convertToFormat(QImage.Format.Format_Grayscale8)
    rows = np.frombuffer(image.constBits(), np.uint8, count=image.bytesPerLine() * image.height())
    return rows.reshape(image.height(), image.bytesPerLine())[:, : image.width()].astype(int)


def test_placeholder_is_painted_in_the_middle_of_an_empty_canvas(canvas: SketchCanvas) -> None:
    blank = _grey(canvas)
    canvas.set_placeholder("Draw a digit here")
    hinted = _grey(canvas)
    changed = np.argwhere(np.abs(hinted - blank) > 20)
    assert len(changed) > 50, "no placeholder text was painted"
    # One line of faint grey text, centred: all of it inside the middle band.
    height, width = blank.shape
    rows, cols = changed[:, 0], changed[:, 1]
    assert abs((rows.min() + rows.max()) / 2 - height / 2) < 6
    assert abs((cols.min() + cols.max()) / 2 - width / 2) < 6
    assert rows.max() - rows.min() < height / 6 and cols.max() - cols.min() < width
    assert 120 <= np.median(hinted[rows, cols]) <= 200  # grey, not ink: it is a hint
    # Once something is drawn, the hint goes.
    canvas.add_stroke([(20, 20), (40, 40)])
    drawn = _grey(canvas)
    assert np.array_equal(drawn[rows, cols], blank[rows, cols])


def test_add_stroke_from_code_is_undoable(canvas: SketchCanvas, qtbot) -> None:
    with qtbot.waitSignal(canvas.changed):
        canvas.add_stroke(ONE)
    assert canvas.to_array()[140, 139] < 64
    canvas.undo()
    assert canvas.is_empty()


_DPI_SCRIPT = """
import sys
import numpy as np
from PySide6.QtWidgets import QApplication
app = QApplication([])
from guiapp.canvas import SketchCanvas
from tests.guiapp.gui_drawing import ONE, ZERO, draw
canvas = SketchCanvas()
canvas.resize(300, 300)
canvas.show()
draw(canvas, ONE)
draw(canvas, ZERO)
np.save(sys.argv[1], canvas.to_array())
print(canvas.devicePixelRatioF())
"""


def test_high_dpi_screen_gives_the_same_image(tmp_path: Path) -> None:
    """Drawn with real mouse events at device pixel ratios 1 and 2: the same 280x280 image."""
    import os
    import subprocess
    import sys

    repo = Path(__file__).resolve().parents[2]
    images, ratios = [], []
    for factor in ("1", "2"):
        out = tmp_path / f"x{factor}.npy"
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QT_SCALE_FACTOR=factor)
        result = subprocess.run(
            [sys.executable, "-c", _DPI_SCRIPT, str(out)],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        ratios.append(float(result.stdout.split()[-1]))
        images.append(np.load(out).astype(int))
    assert ratios == [1.0, 2.0]
    assert images[0].shape == images[1].shape == (CANVAS_SIZE, CANVAS_SIZE)
    assert np.abs(images[0] - images[1]).mean() < 2.0
